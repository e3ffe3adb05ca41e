package dev.genainormalizer.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  private static final RetryConfig RETRY =
      new RetryConfig(
          true, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(10), 2.0, 0.5);

  @Test
  void growsByTheMultiplierUpToMaxInterval() {
    final ExponentialBackoff backoff = new ExponentialBackoff(RETRY, () -> 0.5);

    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(100);
    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(200);
    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(400);
    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(400);
  }

  @Test
  void jitterSpreadsByTheRandomizationFactor() {
    assertThat(millis(new ExponentialBackoff(RETRY, () -> 0.0).nextDelayNanos())).isEqualTo(50);
    assertThat(millis(new ExponentialBackoff(RETRY, () -> 0.999_999_999).nextDelayNanos()))
        .isEqualTo(150);
  }

  @Test
  void noJitterWhenTheFactorIsZero() {
    final RetryConfig exact =
        new RetryConfig(true, Duration.ofMillis(10), Duration.ofMillis(15), Duration.ZERO, 1.5, 0);
    final ExponentialBackoff backoff = new ExponentialBackoff(exact, () -> 0.9);

    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(10);
    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(15);
    assertThat(millis(backoff.nextDelayNanos())).isEqualTo(15);
  }

  private static long millis(long nanos) {
    return Math.round(nanos / 1e6);
  }
}
