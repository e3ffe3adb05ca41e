package dev.genainormalizer.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Decompression bombs for the receivers' tests, never held whole. Deflating a gibibyte costs about
 * six seconds of CPU, which a busy 2-core machine stretches to half a minute; so a mebibyte of the
 * pattern is deflated once, ending on a full flush (byte-aligned, no reference to what came
 * before), and that block is repeated: a valid deflate stream of the whole length, as tight as gzip
 * makes it.
 */
public final class GzipBombs {
  /**
   * An empty {@code resource_spans} entry of an {@code ExportTraceServiceRequest}: repeated, it is
   * a valid message of any length that gzip shrinks about a thousand times.
   */
  public static final byte[] EMPTY_RESOURCE_SPANS = {0x0a, 0x00};

  private static final byte[] GZIP_HEADER = {
    0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff
  };

  private GzipBombs() {}

  /** {@code pattern} repeated to {@code totalBytes}, gzipped. */
  public static byte[] gzipRepeated(byte[] pattern, long totalBytes) {
    final byte[] chunk = new byte[(1 << 20) / pattern.length * pattern.length];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = pattern[i % pattern.length];
    }
    final byte[] block = deflate(chunk, chunk.length, false);
    final CRC32 crc = new CRC32();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(GZIP_HEADER);
    long left = totalBytes;
    for (; left > chunk.length; left -= chunk.length) {
      out.writeBytes(block);
      crc.update(chunk);
    }
    // the last (or only) part ends the stream
    out.writeBytes(deflate(chunk, (int) left, true));
    crc.update(chunk, 0, (int) left);
    out.writeBytes(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int) crc.getValue())
            .putInt((int) totalBytes)
            .array());
    return out.toByteArray();
  }

  /**
   * The first {@code length} bytes of {@code input}, raw-deflated by a fresh deflater: to the end
   * of the stream when {@code last}, else up to a full flush.
   */
  private static byte[] deflate(byte[] input, int length, boolean last) {
    final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(input, 0, length);
      if (last) {
        deflater.finish();
      }
      final ByteArrayOutputStream out = new ByteArrayOutputStream();
      final byte[] buffer = new byte[1 << 16];
      while (true) {
        final int n =
            deflater.deflate(
                buffer, 0, buffer.length, last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH);
        out.write(buffer, 0, n);
        // a flush is complete when it leaves room in the buffer
        if (last ? deflater.finished() : n < buffer.length) {
          return out.toByteArray();
        }
      }
    } finally {
      deflater.end();
    }
  }
}
