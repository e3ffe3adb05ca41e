package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one batch to a backend, once: the part a new transport or a step in front of one (mapping,
 * splitting) writes. Queueing, retries, backoff, metrics and shutdown belong to {@link
 * QueuedRetryingExporter}. A vendor exporter writes no sender: its preset configures the shared
 * OTLP/HTTP one ({@code exporter.preset.PresetExporterFactory}), and only a backend with a special
 * need (Dynatrace's request size limit) wraps it.
 *
 * <p>{@link #send} must not block: it is called on the exporter's own scheduler thread, which also
 * runs its retry timers. Do network I/O asynchronously (Armeria clients do); a sender that has to
 * write to a blocking stream hands the write to its own thread.
 *
 * <p>Outcome of the returned future:
 *
 * <ul>
 *   <li>completes normally: the backend accepted the batch;
 *   <li>{@link PermanentExportException}: the batch is dropped at once (bad request, auth);
 *   <li>{@link RetryableExportException}, or any other exception: the batch is retried with
 *       backoff, never sooner than the exception's {@code retryAfter}.
 * </ul>
 */
public interface TraceSender extends AutoCloseable {

  CompletableFuture<Void> send(TraceBatch batch);

  /**
   * The batch as the backend would receive it from {@link #send} (after any vendor mapping),
   * without sending anything: for the status page and the {@code map} dry run. Senders that change
   * the batch before the transport override this.
   */
  default TraceBatch asSent(TraceBatch batch) {
    return batch;
  }

  /**
   * The most the backend takes in one request, in serialized OTLP protobuf bytes, or 0 for no limit
   * of its own: the exporter's batching never merges past it ({@code sending_queue.batch}).
   */
  default long maxRequestBytes() {
    return 0;
  }

  /**
   * Acquires what sending needs (files, connections) before the first batch. Throws {@link
   * IllegalStateException} with a message naming what is wrong when it cannot.
   */
  default void start() {}

  /**
   * Releases what the sender holds; called once, after the last send has completed or been
   * abandoned.
   */
  @Override
  default void close() {}
}
