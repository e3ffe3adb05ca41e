package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.ByteString;
import dev.genainormalizer.pipeline.MemoryBudget;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads the one message of a unary gRPC request as its body arrives: the 5-byte frame header (a
 * compressed flag and a length), then the payload, decoded with the request's {@code grpc-encoding}
 * into a {@link HeldMessage}. A frame longer than the limit is not read at all, and decoding stops
 * one byte past the limit; either way the rest of the body is only counted, so that the caller can
 * answer once the client has sent it all. Called by one thread at a time; {@link #close()} releases
 * what it holds.
 */
final class GrpcMessageReader implements RequestBody.Reader, AutoCloseable {
  static final int FRAME_HEADER = 5;

  /** What the body held, once it has all been read. */
  sealed interface Outcome {}

  /** The message, at most the limit long. */
  record Message(ByteString bytes) implements Outcome {}

  /** The frame or the decoded message was longer than the limit. */
  record TooLarge() implements Outcome {}

  /**
   * The memory budget had no room for the message; it was within the limit as far as it was read.
   */
  record OverBudget() implements Outcome {}

  /** The body is not one well-formed gRPC message in its encoding. */
  record Malformed(String message) implements Outcome {}

  private enum State {
    HEADER,
    PAYLOAD,
    /** The message is complete: any more bytes are a second message. */
    AFTER,
    /** Decided (too large, malformed): the rest is only counted. */
    DISCARD
  }

  private final ContentCoding coding;
  private final int limit;
  private final HeldMessage message;
  private final byte[] header = new byte[FRAME_HEADER];
  private State state = State.HEADER;
  private int headerLength;
  private long payloadLeft;
  private StreamingInflater inflater;
  // read on the event loop to choose where the next piece runs
  private volatile boolean inflating;
  private Outcome decided;
  private long bodyBytes;

  /**
   * @param coding the request's {@code grpc-encoding}, used for frames flagged compressed
   * @param limit {@code max_recv_msg_size}: the largest frame and the largest decoded message
   */
  GrpcMessageReader(ContentCoding coding, int limit, MemoryBudget budget) {
    this.coding = coding;
    this.limit = limit;
    this.message = new HeldMessage(budget, limit);
  }

  /** Request body bytes read so far, the discarded ones included. */
  long bodyBytes() {
    return bodyBytes;
  }

  /** While a compressed payload is inflated: pieces that may inflate to megabytes. */
  @Override
  public boolean slow() {
    return inflating;
  }

  /** Decoded message bytes so far: at most the limit + 1, however much more the frame holds. */
  long decodedBytes() {
    return message.size();
  }

  /** The message bytes counted against the memory budget now. */
  long heldBytes() {
    return message.heldBytes();
  }

  /** Takes the next piece of the request body. */
  @Override
  public void read(byte[] bytes, int offset, int length) {
    bodyBytes += length;
    int off = offset;
    final int end = offset + length;
    while (off < end && state != State.DISCARD) {
      switch (state) {
        case HEADER -> off = readHeader(bytes, off, end);
        case PAYLOAD -> off = readPayload(bytes, off, end);
        case AFTER -> decide(new Malformed("more than one message in a unary call"));
        default -> throw new IllegalStateException("state " + state);
      }
    }
  }

  /** The outcome, once the whole body has been written. */
  Outcome finish() {
    if (decided != null) {
      return decided;
    }
    if (state == State.HEADER) {
      return decide(
          new Malformed(
              bodyBytes == 0
                  ? "the request has no message"
                  : "the request ended inside a gRPC frame header"));
    }
    if (state == State.PAYLOAD) {
      return decide(new Malformed("the request ended inside a gRPC message"));
    }
    if (message.tooLarge()) {
      return decide(new TooLarge());
    }
    if (message.overBudget()) {
      return decide(new OverBudget());
    }
    return decide(new Message(message.contents()));
  }

  @Override
  public void close() {
    decided = null; // the message's bytes, which the parser has read by now
    message.close();
    if (inflater != null) {
      inflater.close();
    }
  }

  private int readHeader(byte[] bytes, int off, int end) {
    final int n = Math.min(end - off, FRAME_HEADER - headerLength);
    System.arraycopy(bytes, off, header, headerLength, n);
    headerLength += n;
    if (headerLength < FRAME_HEADER) {
      return off + n;
    }
    final int flags = header[0] & 0xff;
    final long length =
        (header[1] & 0xffL) << 24
            | (header[2] & 0xffL) << 16
            | (header[3] & 0xffL) << 8
            | header[4] & 0xffL;
    if (flags > 1) {
      decide(new Malformed("invalid gRPC frame header: flags " + flags + " (expected: 0 or 1)"));
    } else if (length > limit) {
      // compressed or not, a frame this long holds a message over the limit (as in grpc-java)
      decide(new TooLarge());
    } else if (flags == 1 && coding == ContentCoding.IDENTITY) {
      decide(new Malformed("a compressed gRPC message without a grpc-encoding header"));
    } else {
      payloadLeft = length;
      if (flags == 1) {
        inflater = new StreamingInflater(coding, message);
        inflating = true;
      } else {
        message.expect(length);
      }
      state = State.PAYLOAD;
      if (length == 0) {
        endPayload();
      }
    }
    return off + n;
  }

  private int readPayload(byte[] bytes, int off, int end) {
    final int n = (int) Math.min(end - off, payloadLeft);
    payloadLeft -= n;
    if (inflater == null) {
      if (!message.accept(bytes, off, n)) {
        decide(new TooLarge());
        return off + n;
      }
    } else {
      try {
        inflater.write(bytes, off, n);
      } catch (IOException e) {
        decide(new Malformed(undecodable(e)));
        return off + n;
      }
      if (message.tooLarge()) {
        // the rest is not inflated: a bomb costs limit + 1 bytes of output at most
        decide(new TooLarge());
        return off + n;
      }
    }
    if (payloadLeft == 0) {
      endPayload();
    }
    return off + n;
  }

  private void endPayload() {
    state = State.AFTER;
    inflating = false;
    if (inflater != null) {
      try {
        inflater.finish();
      } catch (IOException e) {
        decide(new Malformed(undecodable(e)));
      } finally {
        inflater.close();
      }
    }
  }

  private String undecodable(IOException e) {
    return "cannot decode the "
        + coding.name().toLowerCase(Locale.ROOT)
        + " message: "
        + OtlpHttpService.describe(e);
  }

  private Outcome decide(Outcome outcome) {
    decided = outcome;
    state = State.DISCARD;
    inflating = false;
    if (!(outcome instanceof Message)) {
      message.close(); // nothing of it is needed any more
    }
    return outcome;
  }
}
