package dev.genainormalizer.config;

import dev.genainormalizer.config.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code retry_on_failure}, shared by every exporter; defaults as in the Collector.
 *
 * @param enabled retry retryable failures at all; default true
 * @param initialInterval first backoff; default 5s
 * @param maxInterval cap on one backoff; default 30s
 * @param maxElapsedTime give a batch up after this long; default 300s; 0 means never
 * @param multiplier backoff growth per attempt; default 1.5
 * @param randomizationFactor jitter, +- this share of the interval; default 0.5
 */
public record RetryConfig(
    boolean enabled,
    Duration initialInterval,
    Duration maxInterval,
    Duration maxElapsedTime,
    double multiplier,
    double randomizationFactor)
    implements Validatable {

  public static RetryConfig defaults() {
    return new RetryConfig(
        true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(300), 1.5, 0.5);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (initialInterval.isNegative() || initialInterval.isZero()) {
      errors.add("initial_interval: " + Durations.format(initialInterval) + " (expected: > 0)");
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      errors.add(
          "max_interval: "
              + Durations.format(maxInterval)
              + " (expected: >= initial_interval, "
              + Durations.format(initialInterval)
              + ")");
    }
    if (maxElapsedTime.isNegative()) {
      errors.add("max_elapsed_time: " + Durations.format(maxElapsedTime) + " (expected: >= 0)");
    }
    if (multiplier < 1) {
      errors.add("multiplier: " + multiplier + " (expected: >= 1)");
    }
    if (randomizationFactor < 0 || randomizationFactor >= 1) {
      errors.add("randomization_factor: " + randomizationFactor + " (expected: >= 0 and < 1)");
    }
    return errors;
  }
}
