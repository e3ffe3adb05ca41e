package dev.genainormalizer.exporter.helper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

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
  public static final String QUEUE_SIZE_DESCRIPTION = "Batches waiting for a consumer.";
  public static final String QUEUE_CAPACITY = "otelcol.exporter.queue.capacity";
  public static final String QUEUE_CAPACITY_DESCRIPTION = "Batches the sending queue holds (queue_size).";
  public static final String RETRIES = "genai_normalizer.exporter.retries";
  public static final String RETRIES_DESCRIPTION = "Send attempts scheduled after a retryable failure.";
  public static final String SEND_DURATION = "genai_normalizer.exporter.send.duration";
  public static final String SEND_DURATION_DESCRIPTION =
      "Duration of one send attempt, by outcome (success, retryable, permanent).";

  final Counter sentSpans;
  final Counter sendFailedSpans;
  final Counter enqueueFailedSpans;
  final Counter retries;
  private final Timer success;
  private final Timer retryable;
  private final Timer permanent;
  private final MeterRegistry registry;
  private final Gauge queueSize;
  private final Gauge queueCapacity;

  ExporterTelemetry(MeterRegistry registry, String exporterId, Collection<?> queue, int capacity) {
    sentSpans = counter(registry, SENT_SPANS, SENT_SPANS_DESCRIPTION, exporterId);
    sendFailedSpans = counter(registry, SEND_FAILED_SPANS, SEND_FAILED_SPANS_DESCRIPTION, exporterId);
    enqueueFailedSpans =
        counter(registry, ENQUEUE_FAILED_SPANS, ENQUEUE_FAILED_SPANS_DESCRIPTION, exporterId);
    retries = counter(registry, RETRIES, RETRIES_DESCRIPTION, exporterId);
    this.registry = registry;
    queueSize = Gauge.builder(QUEUE_SIZE, queue, Collection::size)
        .description(QUEUE_SIZE_DESCRIPTION)
        .tag(TAG_EXPORTER, exporterId)
        .strongReference(true)
        .register(registry);
    queueCapacity = Gauge.builder(QUEUE_CAPACITY, () -> capacity)
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
  }

  void recordAttempt(long nanos, Throwable failure) {
    final Timer t =
        failure == null ? success : failure instanceof PermanentExportException ? permanent : retryable;
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Counter counter(MeterRegistry registry, String name, String description, String id) {
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
