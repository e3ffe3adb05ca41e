package dev.genainormalizer.exporter;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.TraceBatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One destination of a pipeline's fan-out. {@link #export} only enqueues: it never blocks and never
 * throws, so a slow or dead backend cannot stall the receiver or the other exporters.
 */
public interface TraceExporter {

  /** Starts the exporter's senders. */
  void start();

  /**
   * What this exporter sends to (endpoint, encoding, ...), for logs and the {@code map} dry run's
   * {@code target}. Must hold no secret: header values redacted (a URL's credentials are masked by
   * the caller that prints it).
   */
  String description();

  /**
   * The batch as this exporter's backend would receive it (after any vendor mapping), without
   * sending: for the status page, which shows the last batch sent as {@link AttemptListener} got
   * it.
   */
  TraceBatch asSent(TraceBatch batch);

  /**
   * The requests this exporter's backend would receive for {@code batches} exported together
   * (within one {@code flush_timeout}), without sending: for the {@code map} dry run. This default
   * suits an exporter that sends each batch as it came; one that merges batches overrides it.
   */
  default List<TraceBatch> asSent(List<TraceBatch> batches) {
    return batches.stream().map(this::asSent).toList();
  }

  /**
   * Replaces the listener told of each finished send attempt (the app's status page): of every
   * attempt this exporter makes, including those of exporters it is composed of (also ones it
   * builds later). {@link AttemptListener#NONE} until set.
   */
  void attemptListener(AttemptListener listener);

  /**
   * The values of the {@code exporter} tag under which this exporter's sending is metered (the
   * {@code otelcol.exporter.*} meters): its own id, or the ids of the exporters it is composed of
   * (every one it has built so far, as their counters keep counting what they sent). Empty for an
   * exporter that reports no such meters.
   */
  Set<String> meteredUnder();

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
   * (what its disk queue still holds, including batches being sent at the deadline, which may
   * arrive twice). Not counted as dropped. Zero for an in-memory queue.
   */
  default long spansLeftForNextRun() {
    return 0;
  }
}
