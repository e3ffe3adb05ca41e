package dev.genainormalizer.processor.kong;

import dev.genainormalizer.config.MeterSpec;
import dev.genainormalizer.processor.ProcessorSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Every meter of the {@code kong} processor, declared once. */
public final class KongProcessorTelemetry {
  static final String DROPPED_SPANS = "genai_normalizer.processor.dropped.spans";
  static final String DROPPED_SPANS_DESCRIPTION =
      "Spans a processor dropped, by reason (infrastructure, duplicate, invalid)";
  static final String INCOMPLETE_SPANS = "genai_normalizer.processor.incomplete.spans";
  static final String INCOMPLETE_SPANS_DESCRIPTION =
      "Spans passed on before their trace's ancestry was complete";
  static final String PENDING_TRACES = "genai_normalizer.processor.pending.traces";
  static final String PENDING_TRACES_DESCRIPTION =
      "Traces the kong processor tracks (holding spans or remembering span ids)";
  static final String PENDING_BYTES = "genai_normalizer.processor.pending.bytes";
  static final String PENDING_BYTES_DESCRIPTION =
      "Approximate memory held by the kong processor's tracked traces";

  /** Every meter of this processor, for {@code docs/telemetry.md}. */
  public static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.counter(
              DROPPED_SPANS, "", DROPPED_SPANS_DESCRIPTION, "processor", "pipeline", "reason"),
          MeterSpec.counter(
              INCOMPLETE_SPANS, "", INCOMPLETE_SPANS_DESCRIPTION, "processor", "pipeline"),
          MeterSpec.gauge(PENDING_TRACES, "", PENDING_TRACES_DESCRIPTION, "processor", "pipeline"),
          MeterSpec.gauge(
              PENDING_BYTES, "bytes", PENDING_BYTES_DESCRIPTION, "processor", "pipeline"));

  private final Counter infrastructure;
  private final Counter duplicate;
  private final Counter invalid;
  private final Counter incomplete;

  <T> KongProcessorTelemetry(
      ProcessorSettings settings,
      T state,
      ToDoubleFunction<T> pendingTraces,
      ToDoubleFunction<T> pendingBytes) {
    final MeterRegistry registry = settings.meterRegistry();
    // The pipeline tag keeps the gauges of one processor id used in two pipelines apart.
    final Tags tags =
        Tags.of("processor", settings.id().toString(), "pipeline", settings.pipeline());
    infrastructure = dropped(registry, tags, "infrastructure");
    duplicate = dropped(registry, tags, "duplicate");
    invalid = dropped(registry, tags, "invalid");
    incomplete =
        Counter.builder(INCOMPLETE_SPANS)
            .description(INCOMPLETE_SPANS_DESCRIPTION)
            .tags(tags)
            .register(registry);
    Gauge.builder(PENDING_TRACES, state, pendingTraces)
        .description(PENDING_TRACES_DESCRIPTION)
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder(PENDING_BYTES, state, pendingBytes)
        .description(PENDING_BYTES_DESCRIPTION)
        .baseUnit("bytes")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private static Counter dropped(MeterRegistry registry, Tags tags, String reason) {
    return Counter.builder(DROPPED_SPANS)
        .description(DROPPED_SPANS_DESCRIPTION)
        .tags(tags)
        .tag("reason", reason)
        .register(registry);
  }

  void infrastructure(long n) {
    if (n > 0) {
      infrastructure.increment(n);
    }
  }

  void duplicate(long n) {
    if (n > 0) {
      duplicate.increment(n);
    }
  }

  void invalid(long n) {
    if (n > 0) {
      invalid.increment(n);
    }
  }

  void incomplete(long n) {
    if (n > 0) {
      incomplete.increment(n);
    }
  }
}
