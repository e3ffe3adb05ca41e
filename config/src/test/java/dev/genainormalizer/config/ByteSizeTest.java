package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 0",
    "1048576, 1048576",
    "512KiB, 524288",
    "512MiB, 536870912",
    "1GiB, 1073741824",
    "1gib, 1073741824",
    "2Gi, 2147483648",
    "800MB, 800000000",
    "1.5GiB, 1610612736",
    "10 kB, 10000",
    "64B, 64",
    "1TiB, 1099511627776"
  })
  void parses(String text, long bytes) {
    assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "lots", "-1MiB", "1 MiB extra", "5PB", "MiB", "99999999999TiB"})
  void rejects(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected");
  }

  @Test
  void printsLargestExactBinaryUnit() {
    assertThat(ByteSize.parse("512MiB")).hasToString("512MiB");
    assertThat(ByteSize.parse("1536KiB")).hasToString("1536KiB");
    assertThat(ByteSize.parse("800MB")).hasToString("781250KiB");
    assertThat(ByteSize.parse("1000")).hasToString("1000");
    assertThat(ByteSize.ofBytes(0)).hasToString("0");
  }

  @Test
  void negativeIsRejected() {
    assertThatThrownBy(() -> ByteSize.ofBytes(-1)).hasMessage("bytes: -1 (expected: >= 0)");
  }
}
