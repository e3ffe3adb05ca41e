package dev.genainormalizer.receiver.otlp;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decodes a gzip or deflate stream pushed to it piece by piece, as a request body arrives, so that
 * neither the compressed nor the decoded bytes have to be held whole. The {@link Sink} says when it
 * has had enough: decoding stops there, and a bomb that would inflate to gigabytes costs only what
 * the sink took. Accepts what {@code GZIPInputStream} and {@code InflaterInputStream} accept:
 * concatenated gzip members (bytes after the last one that do not start a member are ignored), zlib
 * or raw deflate for {@code deflate}. Not thread-safe; {@link #close()} frees the native inflater.
 */
final class StreamingInflater implements AutoCloseable {
  /** Where decoded bytes go. */
  interface Sink {
    /**
     * Takes decoded bytes; false once it wants no more, which stops the decoder. The array is
     * reused after the call.
     */
    boolean accept(byte[] bytes, int offset, int length);
  }

  private static final int OUTPUT_BUFFER = 16 * 1024;

  /** Longer gzip headers (a file name or comment) than any client sends are refused. */
  static final int MAX_GZIP_HEADER = 64 * 1024;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int GZIP_TRAILER = 8;

  private enum State {
    /** Collecting the first bytes: a gzip header, or the two that tell zlib from raw deflate. */
    HEADER,
    DEFLATE,
    GZIP_TRAILER,
    /** After a gzip member: another member, or bytes to ignore. */
    AFTER_MEMBER,
    /** The stream is complete; anything more is ignored. */
    DONE,
    /** The sink took no more, or the stream was invalid: nothing more is decoded. */
    STOPPED
  }

  private final boolean gzip;
  private final Sink sink;
  private final byte[] output = new byte[OUTPUT_BUFFER];
  private final CRC32 crc = new CRC32();
  private Inflater inflater;
  private State state = State.HEADER;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private long memberOutput;

  /**
   * @param coding {@link ContentCoding#GZIP} or {@link ContentCoding#DEFLATE}
   */
  StreamingInflater(ContentCoding coding, Sink sink) {
    if (coding == ContentCoding.IDENTITY) {
      throw new IllegalArgumentException("coding: identity (expected: gzip or deflate)");
    }
    this.gzip = coding == ContentCoding.GZIP;
    this.sink = sink;
  }

  /** Whether decoding stopped because the sink took no more. */
  boolean stopped() {
    return state == State.STOPPED;
  }

  /**
   * Decodes the next piece of the compressed stream; does nothing once stopped.
   *
   * @throws IOException when the stream is invalid (then it stops)
   */
  void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      int off = offset;
      final int end = offset + length;
      while (off < end && state != State.STOPPED && state != State.DONE) {
        off = step(bytes, off, end);
      }
    } catch (IOException | RuntimeException e) {
      state = State.STOPPED;
      throw e;
    }
  }

  /**
   * Checks that the stream ended where a complete one ends; call once the compressed bytes are all
   * written and decoding did not stop.
   *
   * @throws IOException when it is truncated
   */
  void finish() throws IOException {
    final boolean complete =
        switch (state) {
          case DONE, STOPPED -> true;
          // bytes after a gzip member that do not make another one are ignored, as GZIPInputStream
          // does
          case AFTER_MEMBER -> true;
          default -> false;
        };
    if (!complete) {
      throw new ZipException(
          "unexpected end of the " + (gzip ? "gzip" : "deflate") + " stream (truncated?)");
    }
  }

  @Override
  public void close() {
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }

  /** Consumes bytes from {@code off}; returns where it stopped. */
  private int step(byte[] bytes, int off, int end) throws IOException {
    switch (state) {
      case HEADER, AFTER_MEMBER -> {
        return header(bytes, off, end);
      }
      case DEFLATE -> {
        return inflate(bytes, off, end);
      }
      case GZIP_TRAILER -> {
        final int take = Math.min(end - off, GZIP_TRAILER - pendingLength);
        append(bytes, off, take);
        if (pendingLength == GZIP_TRAILER) {
          checkTrailer();
          pendingLength = 0;
          state = State.AFTER_MEMBER;
        }
        return off + take;
      }
      default -> throw new IllegalStateException("state " + state);
    }
  }

  /** Collects header bytes until the header is complete, then starts inflating after it. */
  private int header(byte[] bytes, int off, int end) throws IOException {
    return gzip ? gzipHeader(bytes, off, end) : deflateStart(bytes, off, end);
  }

  /** The first two bytes tell a zlib stream from raw deflate; then they are inflated. */
  private int deflateStart(byte[] bytes, int off, int end) throws IOException {
    final int take = Math.min(end - off, 2 - pendingLength);
    append(bytes, off, take);
    if (pendingLength < 2) {
      return off + take;
    }
    inflater = new Inflater(!BoundedDecompressor.isZlib(pending));
    state = State.DEFLATE;
    pendingLength = 0;
    inflate(Arrays.copyOf(pending, 2), 0, 2);
    return off + take;
  }

  private int gzipHeader(byte[] bytes, int off, int end) throws IOException {
    final int before = pendingLength;
    // at most what a header may take, so that the bytes after it stay in the caller's array
    final int take = Math.min(end - off, MAX_GZIP_HEADER + 1 - pendingLength);
    append(bytes, off, take);
    final int headerLength;
    try {
      headerLength = gzipHeaderLength(pending, pendingLength);
    } catch (ZipException notAMember) {
      if (state == State.AFTER_MEMBER) {
        state = State.DONE; // trailing bytes that are not a gzip member: ignored
        return end;
      }
      throw notAMember;
    }
    if (headerLength < 0) {
      if (pendingLength > MAX_GZIP_HEADER) {
        throw new ZipException("gzip header longer than " + MAX_GZIP_HEADER + " bytes");
      }
      return off + take;
    }
    if (inflater == null) {
      inflater = new Inflater(true);
    } else {
      inflater.reset();
    }
    crc.reset();
    memberOutput = 0;
    state = State.DEFLATE;
    pendingLength = 0;
    // an incomplete header never holds all its bytes, so the rest of it came from this array
    return off + (headerLength - before);
  }

  private int inflate(byte[] bytes, int off, int end) throws IOException {
    inflater.setInput(bytes, off, end - off);
    while (true) {
      final int n;
      try {
        n = inflater.inflate(output);
      } catch (DataFormatException e) {
        throw new ZipException(
            "invalid " + (gzip ? "gzip" : "deflate") + " data: " + e.getMessage());
      }
      if (n > 0) {
        if (gzip) {
          crc.update(output, 0, n);
          memberOutput += n;
        }
        if (!sink.accept(output, 0, n)) {
          state = State.STOPPED;
          return end;
        }
        continue;
      }
      if (inflater.finished()) {
        final int rest = inflater.getRemaining();
        state = gzip ? State.GZIP_TRAILER : State.DONE;
        return end - rest;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("deflate stream needs a preset dictionary");
      }
      return end; // needs more input
    }
  }

  private void checkTrailer() throws ZipException {
    final long crcValue = littleEndianInt(pending, 0);
    final long size = littleEndianInt(pending, 4);
    if (crcValue != crc.getValue()) {
      throw new ZipException("corrupt gzip trailer (CRC mismatch)");
    }
    if (size != (memberOutput & 0xffffffffL)) {
      throw new ZipException("corrupt gzip trailer (size mismatch)");
    }
  }

  /**
   * The length of the gzip member header at the start of {@code h}, or -1 when more bytes are
   * needed.
   *
   * @throws ZipException when it is not a gzip header
   */
  static int gzipHeaderLength(byte[] h, int n) throws ZipException {
    if (n >= 1 && (h[0] & 0xff) != GZIP_MAGIC_1 || n >= 2 && (h[1] & 0xff) != GZIP_MAGIC_2) {
      throw new ZipException("not in gzip format");
    }
    if (n >= 3 && h[2] != 8) {
      throw new ZipException("unsupported gzip compression method " + (h[2] & 0xff));
    }
    if (n < 10) {
      return -1;
    }
    final int flags = h[3] & 0xff;
    int p = 10;
    if ((flags & FEXTRA) != 0) {
      if (n < p + 2) {
        return -1;
      }
      p += 2 + ((h[p] & 0xff) | (h[p + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = afterZero(h, n, p);
      if (p < 0) {
        return -1;
      }
    }
    if ((flags & FCOMMENT) != 0) {
      p = afterZero(h, n, p);
      if (p < 0) {
        return -1;
      }
    }
    if ((flags & FHCRC) != 0) {
      if (n < p + 2) {
        return -1;
      }
      final CRC32 headerCrc = new CRC32();
      headerCrc.update(h, 0, p);
      final int expected = (h[p] & 0xff) | (h[p + 1] & 0xff) << 8;
      if (expected != (int) (headerCrc.getValue() & 0xffff)) {
        throw new ZipException("corrupt gzip header (CRC mismatch)");
      }
      p += 2;
    }
    return p <= n ? p : -1;
  }

  private static int afterZero(byte[] h, int n, int from) {
    for (int i = from; i < n; i++) {
      if (h[i] == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private static long littleEndianInt(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private void append(byte[] bytes, int off, int length) {
    if (pendingLength + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pendingLength + length, 2 * pending.length));
    }
    System.arraycopy(bytes, off, pending, pendingLength, length);
    pendingLength += length;
  }
}
