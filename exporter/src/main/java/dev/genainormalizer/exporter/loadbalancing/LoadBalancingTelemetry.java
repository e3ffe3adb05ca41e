package dev.genainormalizer.exporter.loadbalancing;

import dev.genainormalizer.config.MeterSpec;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.IntSupplier;

/** The {@code loadbalancing} exporter's own meters, tagged with its id. */
public final class LoadBalancingTelemetry {
  static final String TAG_EXPORTER = "exporter";
  static final String ENDPOINTS = "genai_normalizer.loadbalancer.endpoints";
  static final String ENDPOINTS_DESCRIPTION = "Backends on the hash ring now.";
  static final String REROUTED_SPANS = "genai_normalizer.loadbalancer.rerouted_spans";
  static final String REROUTED_SPANS_DESCRIPTION =
      "Spans not yet acknowledged by a backend that left the ring, routed again to the new owners.";
  static final String RESOLVE_FAILURES = "genai_normalizer.loadbalancer.resolve_failures";
  static final String RESOLVE_FAILURES_DESCRIPTION =
      "Failed resolutions (the last known endpoints are kept).";

  /** Every meter of the exporter, for {@code docs/telemetry.md}. */
  public static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.gauge(ENDPOINTS, "", ENDPOINTS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(REROUTED_SPANS, "", REROUTED_SPANS_DESCRIPTION, TAG_EXPORTER),
          MeterSpec.counter(RESOLVE_FAILURES, "", RESOLVE_FAILURES_DESCRIPTION, TAG_EXPORTER));

  final Counter reroutedSpans;
  final Counter resolveFailures;

  /**
   * Spans no backend queue was offered (the exporter is shut down, or no backend is known), under
   * the same name and tag as a queued exporter's, so they count where operators already look.
   */
  final Counter enqueueFailedSpans;

  LoadBalancingTelemetry(MeterRegistry registry, String exporterId, IntSupplier endpoints) {
    Gauge.builder(ENDPOINTS, endpoints, IntSupplier::getAsInt)
        .description(ENDPOINTS_DESCRIPTION)
        .tag(TAG_EXPORTER, exporterId)
        .strongReference(
            true) // the supplier is a lambda nobody else holds: a weak reference would read NaN
        // after a GC
        .register(registry);
    reroutedSpans =
        Counter.builder(REROUTED_SPANS)
            .description(REROUTED_SPANS_DESCRIPTION)
            .tag(TAG_EXPORTER, exporterId)
            .register(registry);
    resolveFailures =
        Counter.builder(RESOLVE_FAILURES)
            .description(RESOLVE_FAILURES_DESCRIPTION)
            .tag(TAG_EXPORTER, exporterId)
            .register(registry);
    enqueueFailedSpans =
        Counter.builder(ExporterTelemetry.ENQUEUE_FAILED_SPANS)
            .description(ExporterTelemetry.ENQUEUE_FAILED_SPANS_DESCRIPTION)
            .tag(TAG_EXPORTER, exporterId)
            .register(registry);
  }
}
