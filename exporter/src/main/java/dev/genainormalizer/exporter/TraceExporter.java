package dev.genainormalizer.exporter;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.TraceBatch;
import java.time.Duration;
import java.util.Optional;
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
   * @return false when the batch was not queued: the queue is full ({@code on_full: drop}), a write
   *     to the disk queue failed, or the exporter is shut down (counted and logged by the exporter)
   */
  boolean export(TraceBatch batch);

  /**
   * Why this exporter would not take a new request of about {@code bytes} serialized bytes now, or
   * empty when it would. Asked before a request is processed: when it answers, the receiver refuses
   * the request (HTTP 503 / gRPC UNAVAILABLE) and the client retries later, so nothing acknowledged
   * is dropped for lack of room. Only exporters whose queue is set to {@code on_full: refuse} ever
   * answer; the answer names the exporter.
   */
  default Optional<String> refusal(long bytes) {
    return Optional.empty();
  }

  /**
   * This exporter's queue when it is kept on disk ({@code sending_queue.storage: disk}): a pipeline
   * that holds spans back journals them next to it, so they survive a crash too. Empty in memory.
   */
  default Optional<QueueConfig> diskQueue() {
    return Optional.empty();
  }

  /**
   * Whether a false from {@link #export} means the client must not be told its data was accepted
   * ({@code on_full: refuse}); otherwise the batch is dropped for this exporter only.
   */
  default boolean refusesWhenFull() {
    return false;
  }

  /**
   * Stops taking batches, tries to send what is queued within {@code timeout}, then gives up on the
   * rest: dropped from memory (counted), or left on disk ({@link #spansLeftForNextRun}). Logs one
   * line saying which. Idempotent. Completes with the number of spans dropped.
   */
  CompletableFuture<Long> shutdown(Duration timeout);

  /**
   * Once {@link #shutdown} has completed: the spans this exporter keeps for the next run to send
   * (what its disk queue still holds, including batches being sent at the deadline, which may arrive
   * twice). Not counted as dropped. Zero for an in-memory queue.
   */
  default long spansLeftForNextRun() {
    return 0;
  }
}
