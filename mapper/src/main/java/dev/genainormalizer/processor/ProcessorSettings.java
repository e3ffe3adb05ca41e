package dev.genainormalizer.processor;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * What the app gives every processor besides its config.
 *
 * @param id the processor's id in the config
 * @param pipeline the id of the pipeline it runs in (a processor instance belongs to one pipeline)
 * @param meterRegistry where it registers its meters; never the global registry
 * @param clock time source ({@code monotonicTime()} for waits), injected so tests need no sleeps
 * @param memoryBudget where a processor that holds spans counts their bytes, so receivers push back
 *     before the heap fills
 */
public record ProcessorSettings(
    ComponentId id,
    String pipeline,
    MeterRegistry meterRegistry,
    Clock clock,
    MemoryBudget memoryBudget) {
  public ProcessorSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(memoryBudget, "memoryBudget");
  }

  /** Settings with an unlimited memory budget, for tests and tools. */
  public ProcessorSettings(
      ComponentId id, String pipeline, MeterRegistry meterRegistry, Clock clock) {
    this(id, pipeline, meterRegistry, clock, MemoryBudget.unlimited());
  }
}
