package dev.genainormalizer.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottledLoggerTest {
  @Test
  void letsOneMessageThroughPerIntervalAndCountsTheOthers() {
    final MockClock clock = new MockClock();
    final ThrottledLogger log = new ThrottledLogger(clock, Duration.ofSeconds(10));

    assertThat(log.tryLog()).isZero();
    assertThat(log.tryLog()).isEqualTo(-1);
    assertThat(log.tryLog()).isEqualTo(-1);
    clock.add(9, TimeUnit.SECONDS);
    assertThat(log.tryLog()).isEqualTo(-1);
    clock.add(1, TimeUnit.SECONDS);
    assertThat(log.tryLog()).isEqualTo(3);
    assertThat(log.tryLog()).isEqualTo(-1);
  }
}
