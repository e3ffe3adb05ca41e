package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.RetryConfig;
import java.util.function.DoubleSupplier;

/**
 * The backoff of one batch, as the Collector computes it: each wait is the current interval spread
 * by +-{@code randomization_factor}; the interval then grows by {@code multiplier} up to {@code
 * max_interval}. Not thread-safe: a batch has one attempt at a time.
 */
final class ExponentialBackoff {
  private final double multiplier;
  private final double randomizationFactor;
  private final long maxIntervalNanos;
  private final DoubleSupplier random;
  private long currentNanos;

  /**
   * @param random uniform in [0, 1), injected so tests can pin the jitter
   */
  ExponentialBackoff(RetryConfig config, DoubleSupplier random) {
    this.multiplier = config.multiplier();
    this.randomizationFactor = config.randomizationFactor();
    this.maxIntervalNanos = config.maxInterval().toNanos();
    this.random = random;
    this.currentNanos = Math.min(config.initialInterval().toNanos(), maxIntervalNanos);
  }

  /** The wait before the next attempt. */
  long nextDelayNanos() {
    final double delta = randomizationFactor * currentNanos;
    final double min = currentNanos - delta;
    final double max = currentNanos + delta;
    // As in cenkalti/backoff: pick uniformly from [min, max].
    final long delay = (long) (min + random.getAsDouble() * (max - min + 1));
    if (currentNanos >= maxIntervalNanos / multiplier) {
      currentNanos = maxIntervalNanos;
    } else {
      currentNanos = (long) (currentNanos * multiplier);
    }
    return Math.max(0, delay);
  }
}
