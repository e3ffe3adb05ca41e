package dev.genainormalizer.app;

import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.TraceConsumer;
import java.time.Duration;
import java.util.List;

/**
 * What one receiver feeds: every pipeline that names it. Refuses the batch while the service is
 * over its memory budget, so the client retries later instead of the heap running out.
 */
final class PipelineConsumer implements TraceConsumer {
  static final Duration RETRY_AFTER_WHEN_FULL = Duration.ofSeconds(1);

  private final List<Pipeline> pipelines;
  private final MemoryBudget memoryBudget;

  PipelineConsumer(List<Pipeline> pipelines, MemoryBudget memoryBudget) {
    this.pipelines = List.copyOf(pipelines);
    this.memoryBudget = memoryBudget;
  }

  @Override
  public ConsumeResult consume(TraceBatch batch) {
    if (memoryBudget.isExceeded()) {
      return ConsumeResult.refused(
          "data refused: the service is over its memory limit of "
              + memoryBudget.limitBytes()
              + " bytes; retry later",
          RETRY_AFTER_WHEN_FULL);
    }
    // The decoded request counts while it runs through the processors; sized in serialized bytes,
    // like the queues, so a given budget holds the same number of spans whatever the request mix.
    final long bytes = batch.request().getSerializedSize();
    memoryBudget.acquire(bytes);
    long rejected = 0;
    String message = "";
    try {
      for (Pipeline pipeline : pipelines) {
        final ProcessResult result = pipeline.consume(batch);
        // The same spans go to every pipeline, so a span rejected in several counts once.
        if (result.rejectedSpans() > rejected) {
          rejected = result.rejectedSpans();
          message = result.rejectionMessage();
        }
      }
    } finally {
      memoryBudget.release(bytes);
    }
    return rejected == 0 ? ConsumeResult.ACCEPTED : ConsumeResult.partiallyAccepted(rejected, message);
  }
}
