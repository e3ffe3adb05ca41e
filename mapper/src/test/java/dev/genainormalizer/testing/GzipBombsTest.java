package dev.genainormalizer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bomb is a valid gzip stream (its CRC and length checked) of exactly the repeated pattern. */
class GzipBombsTest {
  private static final byte[] PATTERN = {1, 2, 3};

  @ParameterizedTest
  @ValueSource(longs = {0, 3, 4, 1_048_575, 1_048_576, 1_048_578, 3 * 1_048_575 + 2, 16L << 20})
  void inflatesToThePatternRepeatedToTheLength(long totalBytes) throws IOException {
    final byte[] bomb = GzipBombs.gzipRepeated(PATTERN, totalBytes);
    long n = 0;
    final byte[] buffer = new byte[1 << 16];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bomb))) {
      for (int read; (read = in.read(buffer)) > 0; n += read) {
        for (int i = 0; i < read; i++) {
          if (buffer[i] != PATTERN[(int) ((n + i) % PATTERN.length)]) {
            throw new AssertionError("byte " + (n + i) + " is " + buffer[i]);
          }
        }
      }
    }
    assertThat(n).isEqualTo(totalBytes);
  }

  @ParameterizedTest
  @ValueSource(longs = {16L << 20, 1L << 30})
  void shrinksTheEmptyResourceSpansAboutAThousandTimes(long totalBytes) {
    assertThat(GzipBombs.gzipRepeated(GzipBombs.EMPTY_RESOURCE_SPANS, totalBytes).length)
        .isBetween((int) (totalBytes / 1100), (int) (totalBytes / 900));
  }
}
