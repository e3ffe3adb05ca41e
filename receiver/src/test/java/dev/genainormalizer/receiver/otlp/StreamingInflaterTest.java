package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingInflaterTest {
  private static final byte[] TEXT = sample(200_000);

  private static byte[] sample(int size) {
    final byte[] out = new byte[size];
    final byte[] text =
        "gen_ai.input.messages [{\"role\":\"user\"}] ".getBytes(StandardCharsets.UTF_8);
    final Random random = new Random(3);
    for (int i = 0; i < size; i++) {
      out[i] = i % 89 == 0 ? (byte) random.nextInt() : text[i % text.length];
    }
    return out;
  }

  /** Decodes {@code compressed} written in pieces of {@code piece} bytes, and finishes. */
  private static byte[] inflate(byte[] compressed, ContentCoding coding, int piece)
      throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (StreamingInflater inflater =
        new StreamingInflater(
            coding,
            (b, off, len) -> {
              out.write(b, off, len);
              return true;
            })) {
      for (int off = 0; off < compressed.length; off += piece) {
        inflater.write(compressed, off, Math.min(piece, compressed.length - off));
      }
      inflater.finish();
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 10, 4096, 1 << 20})
  void anyPiecesDecodeAsTheWhole(int piece) throws IOException {
    assertThat(inflate(Compression.gzip(TEXT), ContentCoding.GZIP, piece)).isEqualTo(TEXT);
    assertThat(inflate(Compression.zlib(TEXT), ContentCoding.DEFLATE, piece)).isEqualTo(TEXT);
    assertThat(inflate(Compression.rawDeflate(TEXT), ContentCoding.DEFLATE, piece)).isEqualTo(TEXT);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 1 << 20})
  void concatenatedGzipMembersAreOneStreamAndTrailingBytesAreIgnored(int piece) throws IOException {
    final byte[] first = Arrays.copyOf(TEXT, 1000);
    final byte[] second = Arrays.copyOfRange(TEXT, 1000, 5000);
    final byte[] members = concat(Compression.gzip(first), Compression.gzip(second));
    assertThat(inflate(members, ContentCoding.GZIP, piece)).isEqualTo(Arrays.copyOf(TEXT, 5000));
    // as GZIPInputStream: what follows the last member and is not one is ignored
    assertThat(
            inflate(
                concat(members, "trailing".getBytes(StandardCharsets.UTF_8)),
                ContentCoding.GZIP,
                piece))
        .isEqualTo(Arrays.copyOf(TEXT, 5000));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1 << 20})
  void gzipHeadersWithExtraNameCommentAndHeaderCrcAreRead(int piece) throws IOException {
    final ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, (byte) 255});
    header.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'}); // FEXTRA
    header.writeBytes("name.bin\0".getBytes(StandardCharsets.ISO_8859_1)); // FNAME
    header.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1)); // FCOMMENT
    final CRC32 headerCrc = new CRC32();
    headerCrc.update(header.toByteArray());
    header.write((int) headerCrc.getValue() & 0xff);
    header.write((int) (headerCrc.getValue() >> 8) & 0xff);
    final byte[] body = Compression.rawDeflate(TEXT);
    final CRC32 crc = new CRC32();
    crc.update(TEXT);
    final byte[] gz =
        concat(concat(header.toByteArray(), body), trailer(crc.getValue(), TEXT.length));

    assertThat(inflate(gz, ContentCoding.GZIP, piece)).isEqualTo(TEXT);

    final byte[] badHeaderCrc = gz.clone();
    badHeaderCrc[header.size() - 1] ^= 1;
    assertThatThrownBy(() -> inflate(badHeaderCrc, ContentCoding.GZIP, piece))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("header");
  }

  @Test
  void aCorruptTrailerOrATruncatedStreamIsAnError() {
    final byte[] gz = Compression.gzip(TEXT);
    final byte[] badCrc = gz.clone();
    badCrc[gz.length - 8] ^= 1;
    assertThatThrownBy(() -> inflate(badCrc, ContentCoding.GZIP, 100))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("CRC");
    final byte[] badSize = gz.clone();
    badSize[gz.length - 1] ^= 1;
    assertThatThrownBy(() -> inflate(badSize, ContentCoding.GZIP, 100))
        .hasMessageContaining("size");
    for (int cut : new int[] {0, 5, 10, gz.length / 2, gz.length - 1}) {
      assertThatThrownBy(() -> inflate(Arrays.copyOf(gz, cut), ContentCoding.GZIP, 100))
          .as("cut at " + cut)
          .isInstanceOf(ZipException.class)
          .hasMessageContaining("truncated");
    }
    final byte[] zlib = Compression.zlib(TEXT);
    assertThatThrownBy(
            () -> inflate(Arrays.copyOf(zlib, zlib.length / 2), ContentCoding.DEFLATE, 100))
        .hasMessageContaining("truncated");
    assertThatThrownBy(
            () -> inflate("not gzip".getBytes(StandardCharsets.UTF_8), ContentCoding.GZIP, 3))
        .hasMessageContaining("not in gzip format");
  }

  @Test
  void anEmptyRawDeflateStreamIsComplete() throws IOException {
    final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.finish();
    final byte[] buf = new byte[16];
    final int n = deflater.deflate(buf);
    deflater.end();
    assertThat(inflate(Arrays.copyOf(buf, n), ContentCoding.DEFLATE, 1)).isEmpty();
  }

  @Test
  void decodingStopsWhenTheSinkHasHadEnough() throws IOException {
    final byte[] bomb = Compression.gzipBomb(64L << 20);
    final long[] taken = new long[1];
    final int[] calls = new int[1];
    try (StreamingInflater inflater =
        new StreamingInflater(
            ContentCoding.GZIP,
            (b, off, len) -> {
              calls[0]++;
              taken[0] += len;
              return taken[0] <= 100_000;
            })) {
      inflater.write(bomb, 0, bomb.length);
      assertThat(inflater.stopped()).isTrue();
      final int callsWhenStopped = calls[0];
      inflater.write(bomb, 0, bomb.length);
      assertThat(calls[0]).as("nothing decoded once stopped").isEqualTo(callsWhenStopped);
    }
    // 16 KiB at a time: the sink got at most one buffer past what it wanted
    assertThat(taken[0]).isLessThanOrEqualTo(100_000 + 16 * 1024);
  }

  private static byte[] trailer(long crc, long size) {
    final byte[] t = new byte[8];
    for (int i = 0; i < 4; i++) {
      t[i] = (byte) (crc >>> (8 * i));
      t[4 + i] = (byte) (size >>> (8 * i));
    }
    return t;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    final byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
