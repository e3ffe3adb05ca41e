package dev.genainormalizer.app;

import dev.genainormalizer.config.MeterSpec;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** The service-wide meters (memory in use against the budget), declared once. */
final class ServiceTelemetry {
  static final String MEMORY_USED = "genai_normalizer.memory.used";
  static final String MEMORY_USED_DESCRIPTION =
      "Bytes of telemetry held in memory (requests being processed, OTLP/gRPC messages being read and"
          + " inflated, queues, held traces).";
  static final String MEMORY_LIMIT = "genai_normalizer.memory.limit";
  static final String MEMORY_LIMIT_DESCRIPTION =
      "Memory limit above which receivers refuse data (service.memory_limit).";

  static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.gauge(MEMORY_USED, "bytes", MEMORY_USED_DESCRIPTION),
          MeterSpec.gauge(MEMORY_LIMIT, "bytes", MEMORY_LIMIT_DESCRIPTION));

  private ServiceTelemetry() {}

  static void register(MeterRegistry registry, MemoryBudget budget) {
    Gauge.builder(MEMORY_USED, budget, MemoryBudget::usedBytes)
        .description(MEMORY_USED_DESCRIPTION)
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(MEMORY_LIMIT, budget, MemoryBudget::limitBytes)
        .description(MEMORY_LIMIT_DESCRIPTION)
        .baseUnit("bytes")
        .register(registry);
  }
}
