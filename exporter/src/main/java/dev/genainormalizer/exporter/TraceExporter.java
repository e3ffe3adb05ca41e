package dev.genainormalizer.exporter;

import dev.genainormalizer.pipeline.TraceBatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One destination of a pipeline's fan-out. {@link #export} only enqueues: it never blocks and never
 * throws, so a slow or dead backend cannot stall the receiver or the other exporters.
 */
public interface TraceExporter {

  /** Starts the exporter's senders. */
  void start();

  /**
   * Enqueues a batch for sending.
   *
   * @return false when the batch was dropped because this exporter's queue is full (counted and
   *     logged by the exporter)
   */
  boolean export(TraceBatch batch);

  /**
   * Stops taking batches, tries to send what is queued within {@code timeout}, then gives up on the
   * rest, counting it as dropped. Idempotent. Completes with the number of spans dropped.
   */
  CompletableFuture<Long> shutdown(Duration timeout);
}
