package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.MeterSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The meters every exporter reports, declared once. Names are per kind, not per vendor, with the
 * exporter id as the {@value #TAG_EXPORTER} tag, so one dashboard covers every backend; the {@code
 * otelcol.*} names match the Collector's ({@code otelcol_exporter_sent_spans_total} in Prometheus).
 */
public final class ExporterTelemetry {
  public static final String TAG_EXPORTER = "exporter";
  public static final String TAG_OUTCOME = "outcome";

  public static final String SENT_SPANS = "otelcol.exporter.sent.spans";
  public static final String SENT_SPANS_DESCRIPTION = "Spans the backend accepted.";
  public static final String SEND_FAILED_SPANS = "otelcol.exporter.send_failed.spans";
  public static final String SEND_FAILED_SPANS_DESCRIPTION =
      "Spans dropped after they were queued: permanent error, retries exhausted, or still unsent at"
          + " shutdown.";
  public static final String ENQUEUE_FAILED_SPANS = "otelcol.exporter.enqueue_failed.spans";
  public static final String ENQUEUE_FAILED_SPANS_DESCRIPTION =
      "Spans dropped because the sending queue was full or the exporter was shut down.";
  public static final String QUEUE_SIZE = "otelcol.exporter.queue.size";
  public static final String QUEUE_SIZE_DESCRIPTION =
      "Batches waiting for a consumer; with storage: disk, bytes of the queue's files.";
  public static final String QUEUE_CAPACITY = "otelcol.exporter.queue.capacity";
  public static final String QUEUE_CAPACITY_DESCRIPTION =
      "Batches the sending queue holds (queue_size); with storage: disk, its max_bytes, so that size"
          + " / capacity is how full either queue is.";
  public static final String RETRIES = "genai_normalizer.exporter.retries";
  public static final String RETRIES_DESCRIPTION =
      "Send attempts scheduled after a retryable failure.";
  public static final String SEND_DURATION = "genai_normalizer.exporter.send.duration";
  public static final String DISK_QUEUE_CORRUPT_RECORDS =
      "genai_normalizer.exporter.disk_queue.corrupt_records";
  public static final String DISK_QUEUE_CORRUPT_RECORDS_DESCRIPTION =
      "Torn or corrupt records (or file tails) of the disk queue, skipped when read.";
  public static final String DISK_QUEUE_BYTES = "genai_normalizer.exporter.disk_queue.bytes";
  public static final String DISK_QUEUE_BYTES_DESCRIPTION =
      "Bytes of the disk queue's segment files.";
  public static final String SEND_DURATION_DESCRIPTION =
      "Duration of one send attempt, by outcome (success, retryable, permanent).";
  public static final String TAG_REASON = "reason";
  public static final String BATCH_SEND_SIZE = "otelcol.exporter.queue_batch.send_size";
  public static final String BATCH_SEND_SIZE_DESCRIPTION =
      "Spans in each batch sent, with sending_queue.batch on (not recorded when it is off).";
  public static final String BATCH_SEND_SIZE_BYTES = "otelcol.exporter.queue_batch.send_size_bytes";
  public static final String BATCH_SEND_SIZE_BYTES_DESCRIPTION =
      "Bytes of each batch sent (OTLP protobuf, before vendor mapping and compression), with"
          + " sending_queue.batch on.";
  public static final String BATCH_FLUSHES = "genai_normalizer.exporter.batch.flushes";
  public static final String BATCH_FLUSHES_DESCRIPTION =
      "Batches sent with sending_queue.batch on, by why they were sent: size (min_size reached, or cut"
          + " at max_size or the backend's limit), timeout (flush_timeout passed), shutdown.";
  private static final double[] SPAN_BUCKETS = {
    1, 10, 50, 100, 500, 1000, 2000, 5000, 8192, 10000, 50000
  };
  private static final double[] BYTE_BUCKETS = {
    1 << 10, 10 << 10, 100 << 10, 512 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20, 64 << 20
  };

  /** Every meter of the exporter helper, for {@code docs/telemetry.md}. */
  public static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.counter(SENT_SPANS, "", SENT_SPANS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(SEND_FAILED_SPANS, "", SEND_FAILED_SPANS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(
              ENQUEUE_FAILED_SPANS, "", ENQUEUE_FAILED_SPANS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.gauge(QUEUE_SIZE, "", QUEUE_SIZE_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.gauge(QUEUE_CAPACITY, "", QUEUE_CAPACITY_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(RETRIES, "", RETRIES_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.timer(SEND_DURATION, SEND_DURATION_DESCRIPTION, TAG_EXPORTER, TAG_OUTCOME),
          MeterSpec.counter(
              DISK_QUEUE_CORRUPT_RECORDS, "", DISK_QUEUE_CORRUPT_RECORDS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.gauge(DISK_QUEUE_BYTES, "bytes", DISK_QUEUE_BYTES_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.histogram(BATCH_SEND_SIZE, "", BATCH_SEND_SIZE_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.histogram(
              BATCH_SEND_SIZE_BYTES, "", BATCH_SEND_SIZE_BYTES_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(
              BATCH_FLUSHES, "", BATCH_FLUSHES_DESCRIPTION, TAG_EXPORTER, TAG_REASON));

  final Counter sentSpans;
  final Counter sendFailedSpans;
  final Counter enqueueFailedSpans;
  final Counter retries;
  private final Timer success;
  private final Timer retryable;
  private final Timer permanent;
  private final MeterRegistry registry;
  private final String exporterId;
  private final Gauge queueSize;
  private final Gauge queueCapacity;

  private Gauge diskBytes;

  ExporterTelemetry(MeterRegistry registry, String exporterId, Collection<?> queue, int capacity) {
    this(registry, exporterId, (LongSupplier) queue::size, capacity);
  }

  /**
   * @param queueLength how full the queue is, in the unit of {@code capacity}: batches in memory,
   *     bytes on disk
   */
  ExporterTelemetry(
      MeterRegistry registry, String exporterId, LongSupplier queueLength, long capacity) {
    sentSpans = counter(registry, SENT_SPANS, SENT_SPANS_DESCRIPTION, exporterId);
    sendFailedSpans =
        counter(registry, SEND_FAILED_SPANS, SEND_FAILED_SPANS_DESCRIPTION, exporterId);
    enqueueFailedSpans =
        counter(registry, ENQUEUE_FAILED_SPANS, ENQUEUE_FAILED_SPANS_DESCRIPTION, exporterId);
    retries = counter(registry, RETRIES, RETRIES_DESCRIPTION, exporterId);
    this.registry = registry;
    this.exporterId = exporterId;
    queueSize =
        Gauge.builder(QUEUE_SIZE, queueLength, LongSupplier::getAsLong)
            .description(QUEUE_SIZE_DESCRIPTION)
            .tag(TAG_EXPORTER, exporterId)
            .strongReference(true)
            .register(registry);
    queueCapacity =
        Gauge.builder(QUEUE_CAPACITY, () -> capacity)
            .description(QUEUE_CAPACITY_DESCRIPTION)
            .tag(TAG_EXPORTER, exporterId)
            .register(registry);
    success = timer(registry, exporterId, "success");
    retryable = timer(registry, exporterId, "retryable");
    permanent = timer(registry, exporterId, "permanent");
  }

  /**
   * Unregisters the queue gauges of a stopped exporter: a gauge registered again under the same id
   * (an exporter rebuilt on reload) would otherwise keep reading the old queue. Counters stay; they
   * only grow.
   */
  void removeGauges() {
    registry.remove(queueSize);
    registry.remove(queueCapacity);
    if (diskBytes != null) {
      registry.remove(diskBytes);
    }
  }

  /**
   * The disk queue's corrupt-record counter; registered before the queue opens, since opening
   * counts.
   */
  static Counter corruptRecords(MeterRegistry registry, String exporterId) {
    return counter(
        registry, DISK_QUEUE_CORRUPT_RECORDS, DISK_QUEUE_CORRUPT_RECORDS_DESCRIPTION, exporterId);
  }

  void registerDiskBytes(String exporterId, LongSupplier bytes) {
    diskBytes =
        Gauge.builder(DISK_QUEUE_BYTES, bytes, LongSupplier::getAsLong)
            .description(DISK_QUEUE_BYTES_DESCRIPTION)
            .baseUnit("bytes")
            .tag(TAG_EXPORTER, exporterId)
            .strongReference(true)
            .register(registry);
  }

  /** A batch of {@code spans} spans and {@code bytes} bytes sent with batching on, and why. */
  void recordBatch(int spans, long bytes, String reason) {
    DistributionSummary.builder(BATCH_SEND_SIZE)
        .description(BATCH_SEND_SIZE_DESCRIPTION)
        .tag(TAG_EXPORTER, exporterId)
        .serviceLevelObjectives(SPAN_BUCKETS)
        .register(registry)
        .record(spans);
    DistributionSummary.builder(BATCH_SEND_SIZE_BYTES)
        .description(BATCH_SEND_SIZE_BYTES_DESCRIPTION)
        .tag(TAG_EXPORTER, exporterId)
        .serviceLevelObjectives(BYTE_BUCKETS)
        .register(registry)
        .record(bytes);
    Counter.builder(BATCH_FLUSHES)
        .description(BATCH_FLUSHES_DESCRIPTION)
        .tag(TAG_EXPORTER, exporterId)
        .tag(TAG_REASON, reason)
        .register(registry)
        .increment();
  }

  void recordAttempt(long nanos, Throwable failure) {
    final Timer t =
        failure == null
            ? success
            : failure instanceof PermanentExportException ? permanent : retryable;
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Counter counter(
      MeterRegistry registry, String name, String description, String id) {
    return Counter.builder(name).description(description).tag(TAG_EXPORTER, id).register(registry);
  }

  private static Timer timer(MeterRegistry registry, String id, String outcome) {
    return Timer.builder(SEND_DURATION)
        .description(SEND_DURATION_DESCRIPTION)
        .tag(TAG_EXPORTER, id)
        .tag(TAG_OUTCOME, outcome)
        .register(registry);
  }
}
