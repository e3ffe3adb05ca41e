package dev.genainormalizer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Decompression bombs for the receivers' tests, made as they are compressed, never held whole. */
public final class GzipBombs {
  /**
   * An empty {@code resource_spans} entry of an {@code ExportTraceServiceRequest}: repeated, it is a
   * valid message of any length that gzip shrinks about a thousand times.
   */
  public static final byte[] EMPTY_RESOURCE_SPANS = {0x0a, 0x00};

  private GzipBombs() {}

  /** {@code pattern} repeated to {@code totalBytes}, gzipped. */
  public static byte[] gzipRepeated(byte[] pattern, long totalBytes) {
    final byte[] chunk = new byte[(1 << 20) / pattern.length * pattern.length];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = pattern[i % pattern.length];
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      for (long left = totalBytes; left > 0; left -= chunk.length) {
        gz.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
