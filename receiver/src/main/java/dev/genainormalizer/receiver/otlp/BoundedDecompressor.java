package dev.genainormalizer.receiver.otlp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Inflates a request body into at most {@code limit + 1} bytes of heap: a gzip bomb of a few KB
 * that would inflate to gigabytes is stopped as soon as it passes the limit, never materialized.
 */
final class BoundedDecompressor {
  private static final int MIN_BUFFER = 8 * 1024;
  private static final int STREAM_BUFFER = 8 * 1024;

  private BoundedDecompressor() {}

  /** The decoded bytes went past the limit; nothing more was read. */
  static final class TooLargeException extends IOException {
    private final long limit;
    private final long bytesRead;
    private final long bufferBytes;

    TooLargeException(long limit, long bytesRead, long bufferBytes) {
      super("request body is larger than " + limit + " bytes after decompression");
      this.limit = limit;
      this.bytesRead = bytesRead;
      this.bufferBytes = bufferBytes;
    }

    long limit() {
      return limit;
    }

    /** How many decoded bytes were produced before giving up: at most {@code limit + 1}. */
    long bytesRead() {
      return bytesRead;
    }

    /** The size of the largest buffer allocated: at most {@code limit + 1}. */
    long bufferBytes() {
      return bufferBytes;
    }
  }

  /**
   * Decodes {@code body}. {@link ContentCoding#IDENTITY} returns it as is (the transport caps its
   * size).
   *
   * @throws TooLargeException when the decoded body exceeds {@code limit} bytes
   * @throws IOException when the body is not valid for its coding (truncated, corrupt)
   */
  static byte[] decompress(byte[] body, ContentCoding coding, int limit) throws IOException {
    if (limit < 0 || limit == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0 and < 2^31-1)");
    }
    return switch (coding) {
      case IDENTITY -> body;
      case GZIP -> {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), STREAM_BUFFER)) {
          yield readBounded(in, body.length, limit);
        }
      }
      case DEFLATE -> {
        final Inflater inflater = new Inflater(!isZlib(body));
        try (InputStream in =
            new InflaterInputStream(new ByteArrayInputStream(body), inflater, STREAM_BUFFER)) {
          yield readBounded(in, body.length, limit);
        } finally {
          // InflaterInputStream only ends inflaters it created itself
          inflater.end();
        }
      }
    };
  }

  /** A zlib stream starts with a CMF/FLG pair: method 8 and a header checksum divisible by 31. */
  static boolean isZlib(byte[] body) {
    if (body.length < 2) {
      return false;
    }
    final int cmf = body[0] & 0xff;
    final int flg = body[1] & 0xff;
    return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
  }

  private static byte[] readBounded(InputStream in, int compressedLength, int limit)
      throws IOException {
    final int cap = limit + 1;
    // a typical OTLP body inflates 4-10x; start there and double, never past limit + 1
    byte[] buf = new byte[(int) Math.min(cap, Math.max(MIN_BUFFER, 4L * compressedLength))];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (buf.length == cap) {
          throw new TooLargeException(limit, n, buf.length);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
      }
      final int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
      if (n > limit) {
        throw new TooLargeException(limit, n, buf.length);
      }
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }
}
