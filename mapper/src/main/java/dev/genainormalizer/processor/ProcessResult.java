package dev.genainormalizer.processor;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.Objects;

/**
 * What a processor made of a batch.
 *
 * @param output spans to pass on now
 * @param rejectedSpans spans refused as invalid; the receiver reports them in {@code
 *     partial_success.rejected_spans}. Spans dropped or held by configured behaviour are not
 *     rejected.
 * @param rejectionMessage why spans were rejected; empty when none were
 * @param heldSpans spans of the batch the processor holds back, to return later from {@code flush}
 */
public record ProcessResult(
    TraceBatch output, long rejectedSpans, String rejectionMessage, long heldSpans) {
  public ProcessResult {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(rejectionMessage, "rejectionMessage");
  }

  /** A result that holds nothing back. */
  public ProcessResult(TraceBatch output, long rejectedSpans, String rejectionMessage) {
    this(output, rejectedSpans, rejectionMessage, 0);
  }

  public static ProcessResult of(TraceBatch output) {
    return new ProcessResult(output, 0, "");
  }
}
