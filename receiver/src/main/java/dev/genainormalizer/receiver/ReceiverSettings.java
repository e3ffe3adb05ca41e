package dev.genainormalizer.receiver;

import dev.genainormalizer.config.ComponentId;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * What the app gives every receiver besides its config.
 *
 * @param id the receiver's id in the config
 * @param consumer the pipelines fed by this receiver
 * @param meterRegistry where it registers its meters; never the global registry
 */
public record ReceiverSettings(ComponentId id, TraceConsumer consumer, MeterRegistry meterRegistry) {
  public ReceiverSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
  }
}
