package dev.genainormalizer.receiver.otlp;

import java.io.IOException;
import java.util.Arrays;

/**
 * Inflates an OTLP/HTTP request body into at most {@code limit + 1} bytes of heap: a gzip bomb of a
 * few KB that would inflate to gigabytes is stopped as soon as it passes the limit, never
 * materialized. The decoding is {@link StreamingInflater}'s, which OTLP/gRPC uses as its messages
 * arrive.
 */
final class BoundedDecompressor {
  private static final int MIN_BUFFER = 8 * 1024;

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
    if (coding == ContentCoding.IDENTITY) {
      return body;
    }
    // a typical OTLP body inflates 4-10x; start there and double, never past limit + 1
    final BoundedBuffer out =
        new BoundedBuffer(
            (int) Math.min(limit + 1L, Math.max(MIN_BUFFER, 4L * body.length)), limit + 1);
    try (StreamingInflater inflater = new StreamingInflater(coding, out)) {
      inflater.write(body, 0, body.length);
      if (out.length > limit) {
        throw new TooLargeException(limit, out.length, out.buffer.length);
      }
      inflater.finish();
    }
    return out.length == out.buffer.length ? out.buffer : Arrays.copyOf(out.buffer, out.length);
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

  /** One array that doubles as it fills, up to {@code cap} bytes; refuses what goes past. */
  private static final class BoundedBuffer implements StreamingInflater.Sink {
    private final int cap;
    private byte[] buffer;
    private int length;

    BoundedBuffer(int initial, int cap) {
      this.buffer = new byte[initial];
      this.cap = cap;
    }

    @Override
    public boolean accept(byte[] bytes, int offset, int count) {
      int off = offset;
      int left = count;
      while (left > 0) {
        if (length == buffer.length) {
          if (buffer.length == cap) {
            return false;
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min(cap, 2L * buffer.length));
        }
        final int n = Math.min(left, buffer.length - length);
        System.arraycopy(bytes, off, buffer, length, n);
        length += n;
        off += n;
        left -= n;
      }
      return length < cap;
    }
  }
}
