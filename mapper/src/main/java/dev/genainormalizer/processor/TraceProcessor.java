package dev.genainormalizer.processor;

import dev.genainormalizer.pipeline.TraceBatch;

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

  /** Spans currently held back, for telemetry. */
  default int pendingSpans() {
    return 0;
  }
}
