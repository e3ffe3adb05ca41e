package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.testing.GzipBombs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Request-body encoders for tests. */
final class Compression {
  private Compression() {}

  static byte[] gzip(byte[] data) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** HTTP {@code deflate}: a zlib stream. */
  static byte[] zlib(byte[] data) {
    return deflate(data, false);
  }

  /** The raw deflate some clients send as {@code deflate}. */
  static byte[] rawDeflate(byte[] data) {
    return deflate(data, true);
  }

  private static byte[] deflate(byte[] data, boolean raw) {
    final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(out, deflater)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  /** {@code zeroBytes} zeros, gzipped without holding them: a few KB per 10 MB. */
  static byte[] gzipBomb(long zeroBytes) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final byte[] chunk = new byte[1 << 20];
    try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      for (long left = zeroBytes; left > 0; left -= chunk.length) {
        gz.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The same bomb as a zlib stream. */
  static byte[] zlibBomb(long zeroBytes) {
    final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final byte[] chunk = new byte[1 << 20];
    try (OutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16)) {
      for (long left = zeroBytes; left > 0; left -= chunk.length) {
        z.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  /**
   * 256 MiB of {@code 0a 00} gzipped (about 250 KB), built once: as far past a 16 MiB limit as the
   * issue's 1 GiB (which the process test sends) and four times quicker to build.
   */
  static byte[] resourceSpansBomb() {
    return BombHolder.BOMB;
  }

  private static final class BombHolder {
    static final byte[] BOMB = GzipBombs.gzipRepeated(GzipBombs.EMPTY_RESOURCE_SPANS, 256L << 20);
  }
}
