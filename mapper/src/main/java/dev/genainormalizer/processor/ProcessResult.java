package dev.genainormalizer.processor;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.Objects;

/**
 * What a processor made of a batch.
 *
 * @param output spans to pass on now
 * @param rejectedSpans spans refused as invalid; the receiver reports them in {@code
 *     partial_success.rejected_spans}. Spans dropped or held by configured behaviour are not rejected.
 * @param rejectionMessage why spans were rejected; empty when none were
 */
public record ProcessResult(TraceBatch output, long rejectedSpans, String rejectionMessage) {
  public ProcessResult {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(rejectionMessage, "rejectionMessage");
  }

  public static ProcessResult of(TraceBatch output) {
    return new ProcessResult(output, 0, "");
  }
}
