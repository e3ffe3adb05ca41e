package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.exporter.profile.RequestSplitter;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Maps a batch, splits it into requests of at most {@code maxBytes} and sends them one after the
 * other, because Dynatrace refuses larger requests (413). A span too large on its own is dropped,
 * counted and logged: it can never be accepted.
 *
 * <p>When a part fails, the batch is retried by the exporter's chain; the parts already accepted
 * are remembered for that batch and not sent again, so a retry does not duplicate spans.
 */
final class SplittingSender implements TraceSender {
  /** Batches whose progress is remembered: at most one per consumer is retrying at a time. */
  private static final int MAX_REMEMBERED = 64;

  private final MappingSender mapping;
  private final TraceSender transport;
  private final int maxBytes;
  private final String exporterId;
  private final Counter oversizedSpans;
  private final Logger logger;
  private final ThrottledLogger oversizedLog;
  private final Map<BatchKey, Integer> partsDone =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BatchKey, Integer> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };

  SplittingSender(
      MappingSender mapping,
      TraceSender transport,
      int maxBytes,
      String exporterId,
      Counter oversizedSpans,
      Logger logger,
      Clock clock) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.transport = Objects.requireNonNull(transport, "transport");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    this.maxBytes = maxBytes;
    this.exporterId = Objects.requireNonNull(exporterId, "exporterId");
    this.oversizedSpans = Objects.requireNonNull(oversizedSpans, "oversizedSpans");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.oversizedLog = new ThrottledLogger(logger, clock, Duration.ofSeconds(10));
  }

  /** The mapped batch, before it is split into requests. */
  @Override
  public TraceBatch asSent(TraceBatch batch) {
    return mapping.map(batch);
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    final TraceBatch mapped;
    try {
      mapped = mapping.map(batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new dev.genainormalizer.exporter.helper.PermanentExportException(
              "profile dynatrace failed on a batch of " + batch.spanCount() + " spans: " + e, e));
    }
    final List<ExportTraceServiceRequest> parts = RequestSplitter.split(mapped.request(), maxBytes);
    if (parts.size() == 1 && parts.get(0).getSerializedSize() <= maxBytes) {
      return transport.send(mapped);
    }
    final BatchKey key = new BatchKey(batch);
    final int from;
    synchronized (partsDone) {
      from = partsDone.getOrDefault(key, 0);
    }
    return sendFrom(key, parts, from)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                synchronized (partsDone) {
                  partsDone.remove(key);
                }
              }
            });
  }

  private CompletableFuture<Void> sendFrom(
      BatchKey key, List<ExportTraceServiceRequest> parts, int index) {
    if (index >= parts.size()) {
      return CompletableFuture.completedFuture(null);
    }
    final ExportTraceServiceRequest part = parts.get(index);
    final CompletableFuture<Void> sent;
    if (part.getSerializedSize() > maxBytes) {
      dropOversized(part); // RequestSplitter put a single span alone in this part
      sent = CompletableFuture.completedFuture(null);
    } else {
      sent = transport.send(TraceBatch.of(part));
    }
    return sent.thenCompose(
        ok -> {
          synchronized (partsDone) {
            partsDone.put(key, index + 1);
          }
          return sendFrom(key, parts, index + 1);
        });
  }

  private void dropOversized(ExportTraceServiceRequest part) {
    final int spans = TraceBatch.countSpans(part);
    oversizedSpans.increment(spans);
    final long suppressed = oversizedLog.tryLog();
    if (suppressed >= 0) {
      logger.warn(
          "exporter {}: dropped {} span(s) of {} bytes: over Dynatrace's request limit of {}"
              + " bytes even alone{}",
          exporterId,
          spans,
          part.getSerializedSize(),
          maxBytes,
          ThrottledLogger.suppressedNote(suppressed));
    }
  }

  /**
   * Dynatrace's limit: batches are cut before mapping at it, and parts after mapping if need be.
   */
  @Override
  public long maxRequestBytes() {
    return maxBytes;
  }

  @Override
  public void start() {
    transport.start();
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "split at " + maxBytes + " bytes, " + mapping;
  }

  /** A batch by identity, without keeping it alive once the exporter is done with it. */
  private static final class BatchKey {
    private final WeakReference<TraceBatch> batch;
    private final int hash;

    BatchKey(TraceBatch batch) {
      this.batch = new WeakReference<>(batch);
      this.hash = System.identityHashCode(batch);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof BatchKey other)) {
        return false;
      }
      final TraceBatch b = batch.get();
      return b != null && b == other.batch.get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
