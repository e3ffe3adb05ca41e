package dev.genainormalizer.app;

import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.TraceConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one receiver feeds: every pipeline that names it. Refuses the batch (the receiver answers
 * 503 / UNAVAILABLE with Retry-After) while the service is over its memory budget, so the client
 * retries later instead of the heap running out; while an exporter with {@code on_full: refuse} has
 * no room; and when such an exporter could not queue it, so nothing it acknowledges is dropped.
 */
final class PipelineConsumer implements TraceConsumer {
  static final Duration RETRY_AFTER_WHEN_FULL = Duration.ofSeconds(1);

  private final List<Pipeline> pipelines;
  private final MemoryBudget memoryBudget;
  // The size of the last request decoded: what refusal() expects the next one to need.
  private volatile long lastRequestBytes;

  PipelineConsumer(List<Pipeline> pipelines, MemoryBudget memoryBudget) {
    this.pipelines = List.copyOf(pipelines);
    this.memoryBudget = memoryBudget;
  }

  /**
   * Refuses, before the body is read, what {@link #consume} would refuse for a request as large as
   * the last one: under overload the budget sits within a request of its limit, so a check for
   * "over the limit" alone would almost never fire.
   */
  @Override
  public Optional<ConsumeResult> refusal() {
    final long expected = lastRequestBytes;
    if (!memoryBudget.wouldFit(expected)) {
      return Optional.of(overMemoryLimit());
    }
    return queueFull(expected);
  }

  /** The refusal of the first pipeline with an exporter that has no room for {@code bytes}. */
  private Optional<ConsumeResult> queueFull(long bytes) {
    for (Pipeline pipeline : pipelines) {
      final Optional<String> refusal = pipeline.refusal(bytes);
      if (refusal.isPresent()) {
        return Optional.of(
            ConsumeResult.refused(
                "data refused: " + refusal.get() + "; retry later", RETRY_AFTER_WHEN_FULL));
      }
    }
    return Optional.empty();
  }

  private ConsumeResult overMemoryLimit() {
    return ConsumeResult.refused(
        "data refused: the service is over its memory limit of "
            + memoryBudget.limitBytes()
            + " bytes; retry later",
        RETRY_AFTER_WHEN_FULL);
  }

  @Override
  public ConsumeResult consume(TraceBatch batch) {
    // The decoded request counts while it runs through the processors; sized in serialized bytes,
    // like the queues, so a given budget holds the same number of spans whatever the request mix.
    final long bytes = batch.request().getSerializedSize();
    lastRequestBytes = bytes;
    final Optional<ConsumeResult> full = queueFull(bytes);
    if (full.isPresent()) {
      return full.get();
    }
    if (!memoryBudget.tryAcquire(bytes)) {
      return overMemoryLimit();
    }
    long rejected = 0;
    String message = "";
    int unqueued = 0;
    try {
      for (Pipeline pipeline : pipelines) {
        final Pipeline.Outcome outcome = pipeline.consume(batch);
        unqueued += outcome.unqueued();
        final ProcessResult result = outcome.processed();
        // The same spans go to every pipeline, so a span rejected in several counts once.
        if (result.rejectedSpans() > rejected) {
          rejected = result.rejectedSpans();
          message = result.rejectionMessage();
        }
      }
    } finally {
      memoryBudget.release(bytes);
    }
    if (unqueued > 0) {
      // Not acknowledged, so the client sends it again: the processors must not take the retry for
      // a duplicate. Exporters that did queue it will get it twice (at-least-once).
      for (Pipeline pipeline : pipelines) {
        pipeline.forget(batch);
      }
      return ConsumeResult.refused(
          "data refused: "
              + (unqueued == 1 ? "an exporter" : unqueued + " exporters")
              + " could not queue it (see the service log); retry later",
          RETRY_AFTER_WHEN_FULL);
    }
    return rejected == 0
        ? ConsumeResult.ACCEPTED
        : ConsumeResult.partiallyAccepted(rejected, message);
  }
}
