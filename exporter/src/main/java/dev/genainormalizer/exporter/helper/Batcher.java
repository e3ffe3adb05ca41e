package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.exporter.profile.RequestSplitter;
import dev.genainormalizer.exporter.profile.RequestSplitter.Limit;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code sending_queue.batch}, as the Collector's exporterhelper does it: queued batches are merged
 * into one pending batch, which is sent once it holds {@code min_size} (or {@code flush_timeout}
 * after it was started, the caller's timer), and cut at {@code max_size} and at the backend's
 * request limit: a queued batch that does not fit fills the pending batch up to the limit, and what
 * is left of it starts the next (whole-limit parts in between are sent as they are). Merging
 * appends the resource spans in arrival order, so a batch's bytes are the sum of its parts'.
 *
 * <p>Each queue entry is tracked by a {@link Tracked}: a merged batch is only finished with the
 * queue (a disk record acknowledged) once every batch holding a part of it is done, so nothing
 * acknowledged to a client is lost in a crash. With batching disabled every entry is sent as it
 * came.
 *
 * <p>Not thread-safe, and no clock or thread of its own: the exporter drives it under its lock and
 * runs the flush timer.
 */
final class Batcher {
  /** Why a batch was sent. */
  enum FlushReason {
    /** It reached {@code min_size}, or was cut at {@code max_size} or the backend's limit. */
    SIZE("size"),
    /** {@code flush_timeout} passed. */
    TIMEOUT("timeout"),
    /** The exporter is draining at shutdown. */
    SHUTDOWN("shutdown"),
    /** Batching is disabled: the queued batch as it came. */
    NONE("none");

    final String tag;

    FlushReason(String tag) {
      this.tag = tag;
    }
  }

  /** A queue entry whose spans are sent in one or more batches. */
  static final class Tracked {
    final SendingQueue.Entry entry;
    int openBatches; // batches holding part of it and not yet done
    boolean placed; // every span of it is in some batch
    boolean kept; // some part was left unsent at shutdown
    Throwable error; // the first failure of a part, if any

    Tracked(SendingQueue.Entry entry) {
      this.entry = entry;
    }

    /**
     * One batch holding part of this entry is done; true when that was the last, and the entry is
     * finished.
     */
    boolean partDone(boolean keptAtShutdown, Throwable failure) {
      kept |= keptAtShutdown;
      if (error == null && failure != null) {
        error = failure;
      }
      return --openBatches == 0 && placed;
    }
  }

  /** A batch to send, and the queue entries it holds all or part of. */
  static final class Batch {
    final TraceBatch batch;
    final List<Tracked> parts;
    final FlushReason reason;

    Batch(TraceBatch batch, List<Tracked> parts, FlushReason reason) {
      this.batch = batch;
      this.parts = parts;
      this.reason = reason;
    }
  }

  private final BatchConfig config;
  private final Limit max;
  // The pending batch: resource spans in order, what they add up to, and whose parts they are.
  private final List<ResourceSpans> pending = new ArrayList<>();
  private final List<Tracked> pendingParts = new ArrayList<>();
  private TraceBatch pendingWhole; // the one queued batch pending holds whole, to send it unchanged
  private long pendingSpans;
  private long pendingBytes;
  private long pendingSinceNanos;

  /**
   * @param maxRequestBytes the most the backend takes in one request (serialized OTLP, before any
   *     vendor mapping); 0 for no limit of its own
   */
  Batcher(BatchConfig config, long maxRequestBytes) {
    this.config = Objects.requireNonNull(config, "config");
    final Limit maxSize =
        config.sizer() == BatchConfig.Sizer.ITEMS
            ? new Limit(config.maxSize(), 0)
            : Limit.ofBytes(config.maxSize());
    this.max = maxSize.and(Limit.ofBytes(maxRequestBytes));
  }

  boolean enabled() {
    return config.enabled();
  }

  /** Adds a queue entry; returns the batches that are complete now, in order (often none). */
  List<Batch> add(SendingQueue.Entry entry, long nowNanos) {
    final Tracked tracked = new Tracked(entry);
    final TraceBatch batch = entry.batch();
    if (!config.enabled()) {
      tracked.openBatches = 1;
      tracked.placed = true;
      return List.of(new Batch(batch, List.of(tracked), FlushReason.NONE));
    }
    final List<Batch> ready = new ArrayList<>(1);
    final long bytes = batch.request().getSerializedSize();
    if (max.allows(pendingSpans + batch.spanCount(), pendingBytes + bytes)) {
      append(tracked, batch, batch.spanCount(), bytes, nowNanos);
    } else {
      final Limit room =
          new Limit(
              max.spans() == 0 ? 0 : Math.max(1, max.spans() - pendingSpans),
              max.bytes() == 0 ? 0 : Math.max(1, max.bytes() - pendingBytes));
      final List<ExportTraceServiceRequest> parts =
          RequestSplitter.split(batch.request(), room, max);
      for (int i = 0; i < parts.size(); i++) {
        final TraceBatch part = TraceBatch.of(parts.get(i));
        if (i > 0 && i < parts.size() - 1) {
          tracked.openBatches++; // a whole-limit part in between: sent as it is
          ready.add(new Batch(part, List.of(tracked), FlushReason.SIZE));
          continue;
        }
        if (!part.isEmpty()) {
          append(tracked, part, part.spanCount(), part.request().getSerializedSize(), nowNanos);
        }
        if (i == 0 && !isEmpty()) {
          ready.add(flush(FlushReason.SIZE)); // filled up to the limit
        }
      }
    }
    tracked.placed = true;
    if (!isEmpty() && minReached()) {
      ready.add(flush(FlushReason.SIZE));
    }
    return ready;
  }

  private void append(Tracked tracked, TraceBatch batch, long spans, long bytes, long nowNanos) {
    if (isEmpty()) {
      pendingSinceNanos = nowNanos;
      pendingWhole = batch;
    } else {
      pendingWhole = null;
    }
    pending.addAll(batch.request().getResourceSpansList());
    pendingSpans += spans;
    pendingBytes += bytes;
    // once per pending batch: an entry split in two is flushed in between
    pendingParts.add(tracked);
    tracked.openBatches++;
  }

  private boolean minReached() {
    return (config.sizer() == BatchConfig.Sizer.ITEMS ? pendingSpans : pendingBytes)
        >= config.minSize();
  }

  /** Whether a batch is being filled. */
  boolean hasPending() {
    return !isEmpty();
  }

  private boolean isEmpty() {
    return pendingParts.isEmpty();
  }

  /** When the pending batch must be sent ({@code flush_timeout} after it was started). */
  long pendingDeadlineNanos() {
    return pendingSinceNanos + config.flushTimeout().toNanos();
  }

  /** The pending batch, to be sent now; null when there is none. */
  Batch flush(FlushReason reason) {
    if (isEmpty()) {
      return null;
    }
    final TraceBatch batch =
        pendingWhole != null
            ? pendingWhole
            : new TraceBatch(
                ExportTraceServiceRequest.newBuilder().addAllResourceSpans(pending).build(),
                Math.toIntExact(pendingSpans));
    final Batch out = new Batch(batch, List.copyOf(pendingParts), reason);
    pending.clear();
    pendingParts.clear();
    pendingWhole = null;
    pendingSpans = 0;
    pendingBytes = 0;
    return out;
  }
}
