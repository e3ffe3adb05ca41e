package dev.genainormalizer.processor;

import dev.genainormalizer.pipeline.TraceBatch;
import java.time.Duration;

/**
 * One step of a pipeline: a function over OTLP spans. Implementations are thread-safe, do no I/O
 * and start no threads; a processor that holds spans back (to wait for the rest of a trace) returns
 * them later from {@link #flush(boolean)}, which the pipeline calls on a timer.
 */
public interface TraceProcessor {

  /**
   * Processes one batch and returns what goes on to the next step now. Never throws for bad data:
   * bad spans are dropped or passed through, and counted.
   */
  ProcessResult process(TraceBatch batch);

  /**
   * Returns spans held back whose wait is over, or every held span when {@code all} is true (at
   * shutdown). Stateless processors keep the default.
   */
  default TraceBatch flush(boolean all) {
    return TraceBatch.EMPTY;
  }

  /**
   * The longest a span is held back: every span {@link #process} holds is returned by a {@code
   * flush(false)} that runs this long after it arrived (by the processor's clock), or earlier. Zero
   * for processors that never hold spans.
   */
  default Duration maxHold() {
    return Duration.ZERO;
  }

  /**
   * Forgets a batch this processor processed, because the client was told to send it again (an
   * exporter could not queue the result): a processor that drops spans it has seen before must not
   * drop the retry, and spans of the batch it still holds are let go (the retry brings them again).
   * Stateless processors keep the default.
   */
  default void forget(TraceBatch batch) {}

  /** Spans currently held back, for telemetry. */
  default int pendingSpans() {
    return 0;
  }
}
