package dev.genainormalizer.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "250ms, PT0.25S",
    "5s, PT5S",
    "1m, PT1M",
    "1h, PT1H",
    "1m30s, PT1M30S",
    "1h2m3s4ms5us6ns, PT1H2M3.004005006S",
    "1.5s, PT1.5S",
    ".5m, PT30S",
    "-2s, PT-2S",
    "0, PT0S",
    "PT5S, PT5S",
    "pt1m, PT1M",
    "-PT5S, PT-5S",
    "100us, PT0.0001S",
    "100µs, PT0.0001S"
  })
  void parses(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(
      strings = {"", "5", "5 s", "5sec", "1d", "s", "1m30", "PT", "--1s", "1e3s", "9999999999h"})
  void rejects(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "PT0S, 0s",
    "PT0.25S, 250ms",
    "PT1M30S, 1m30s",
    "PT26H, 26h",
    "PT1.5S, 1s500ms",
    "PT-5S, -5s",
    "PT0.000001001S, 1us1ns"
  })
  void formatsShortestExactFormThatParsesBack(String iso, String text) {
    final Duration d = Duration.parse(iso);
    assertThat(Durations.format(d)).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(d);
  }
}
