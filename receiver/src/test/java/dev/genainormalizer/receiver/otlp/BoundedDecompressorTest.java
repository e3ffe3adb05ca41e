package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.receiver.otlp.BoundedDecompressor.TooLargeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedDecompressorTest {
  private static final int MIB = 1024 * 1024;

  private static byte[] sample(int size) {
    // compressible but not trivially: repeated text with random bytes mixed in
    final byte[] out = new byte[size];
    final byte[] text =
        "gen_ai.input.messages [{\"role\":\"user\"}] ".getBytes(StandardCharsets.UTF_8);
    final Random random = new Random(42);
    for (int i = 0; i < size; i++) {
      out[i] = i % 97 == 0 ? (byte) random.nextInt() : text[i % text.length];
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 8191, 8192, 8193, 100_000, 3 * MIB})
  void roundTripsEveryCodingAtAnySize(int size) throws IOException {
    final byte[] data = sample(size);
    assertThat(BoundedDecompressor.decompress(Compression.gzip(data), ContentCoding.GZIP, 4 * MIB))
        .isEqualTo(data);
    assertThat(
            BoundedDecompressor.decompress(Compression.zlib(data), ContentCoding.DEFLATE, 4 * MIB))
        .isEqualTo(data);
    assertThat(
            BoundedDecompressor.decompress(
                Compression.rawDeflate(data), ContentCoding.DEFLATE, 4 * MIB))
        .isEqualTo(data);
    assertThat(BoundedDecompressor.decompress(data, ContentCoding.IDENTITY, 4 * MIB))
        .isSameAs(data);
  }

  @Test
  void bodyOfExactlyTheLimitPassesAndOneMoreByteFails() throws IOException {
    final byte[] data = sample(100_000);
    assertThat(BoundedDecompressor.decompress(Compression.gzip(data), ContentCoding.GZIP, 100_000))
        .isEqualTo(data);
    assertThatThrownBy(
            () ->
                BoundedDecompressor.decompress(Compression.gzip(data), ContentCoding.GZIP, 99_999))
        .isInstanceOf(TooLargeException.class)
        .hasMessageContaining("larger than 99999 bytes after decompression");
  }

  @Test
  void gzipBombStopsAtTheLimitWithoutInflatingTheRest() {
    // 512 MiB of zeros in about half a megabyte; with a 1 MiB limit the decoder must stop at 1 MiB
    // + 1
    final byte[] bomb = Compression.gzipBomb(512L * MIB);
    assertThat(bomb.length).isLessThan(MIB);
    final int limit = MIB;
    assertThatThrownBy(() -> BoundedDecompressor.decompress(bomb, ContentCoding.GZIP, limit))
        .isInstanceOfSatisfying(
            TooLargeException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(limit);
              assertThat(e.bytesRead()).isEqualTo(limit + 1L);
              assertThat(e.bufferBytes()).isLessThanOrEqualTo(limit + 1L);
            });
  }

  @Test
  void zlibBombStopsAtTheLimitToo() {
    final byte[] bomb = Compression.zlibBomb(64L * MIB);
    assertThat(bomb.length).isLessThan(128 * 1024);
    assertThatThrownBy(() -> BoundedDecompressor.decompress(bomb, ContentCoding.DEFLATE, 10_000))
        .isInstanceOfSatisfying(
            TooLargeException.class,
            e -> {
              assertThat(e.bytesRead()).isEqualTo(10_001);
              assertThat(e.bufferBytes()).isEqualTo(10_001);
            });
  }

  @Test
  void truncatedGzipIsAnIoErrorNotTooLarge() {
    final byte[] gz = Compression.gzip(sample(50_000));
    final byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> BoundedDecompressor.decompress(truncated, ContentCoding.GZIP, MIB))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(TooLargeException.class);
  }

  @Test
  void notGzipAtAllIsAnIoError() {
    final byte[] plain = "not gzip".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BoundedDecompressor.decompress(plain, ContentCoding.GZIP, MIB))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> BoundedDecompressor.decompress(plain, ContentCoding.DEFLATE, MIB))
        .isInstanceOf(IOException.class);
  }

  @Test
  void tellsZlibFromRawDeflate() {
    assertThat(BoundedDecompressor.isZlib(Compression.zlib(sample(10)))).isTrue();
    assertThat(BoundedDecompressor.isZlib(Compression.rawDeflate(sample(10)))).isFalse();
    assertThat(BoundedDecompressor.isZlib(new byte[0])).isFalse();
  }

  @Test
  void parsesContentEncodingHeaders() {
    assertThat(ContentCoding.of(null)).contains(ContentCoding.IDENTITY);
    assertThat(ContentCoding.of("identity")).contains(ContentCoding.IDENTITY);
    assertThat(ContentCoding.of(" GZIP ")).contains(ContentCoding.GZIP);
    assertThat(ContentCoding.of("x-gzip")).contains(ContentCoding.GZIP);
    assertThat(ContentCoding.of("deflate")).contains(ContentCoding.DEFLATE);
    assertThat(ContentCoding.of("br")).isEmpty();
    assertThat(ContentCoding.of("zstd")).isEmpty();
  }
}
