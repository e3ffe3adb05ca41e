package dev.genainormalizer.exporter;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * What the app gives every exporter besides its config.
 *
 * @param id the exporter's id in the config
 * @param meterRegistry where it registers its meters; never the global registry
 * @param clock time source for backoff, injected so tests need no sleeps
 * @param memoryBudget where queued bytes are counted, so receivers push back before the heap fills
 */
public record ExporterSettings(
    ComponentId id, MeterRegistry meterRegistry, Clock clock, MemoryBudget memoryBudget) {
  public ExporterSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(memoryBudget, "memoryBudget");
  }
}
