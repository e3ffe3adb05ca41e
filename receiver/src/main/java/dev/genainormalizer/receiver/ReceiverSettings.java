package dev.genainormalizer.receiver;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * What the app gives every receiver besides its config.
 *
 * @param id the receiver's id in the config
 * @param consumer the pipelines fed by this receiver
 * @param meterRegistry where it registers its meters; never the global registry
 * @param memoryBudget the service's {@code memory_limit}: a receiver counts the request bytes it
 *     holds while it reads and decodes them, so that they weigh in the refusals like queued data
 */
public record ReceiverSettings(
    ComponentId id,
    TraceConsumer consumer,
    MeterRegistry meterRegistry,
    MemoryBudget memoryBudget) {
  public ReceiverSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(memoryBudget, "memoryBudget");
  }
}
