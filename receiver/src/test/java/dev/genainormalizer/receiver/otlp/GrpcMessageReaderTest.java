package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.Malformed;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.Message;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.Outcome;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.OverBudget;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.TooLarge;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcMessageReaderTest {
  private static final int MIB = 1024 * 1024;

  private final MemoryBudget budget = new MemoryBudget(1L << 30);

  private static byte[] message(int size) {
    final byte[] out = new byte[size];
    new Random(5).nextBytes(out);
    return out;
  }

  /** Writes {@code body} in pieces of {@code piece} bytes and returns the outcome. */
  private static Outcome read(GrpcMessageReader reader, byte[] body, int piece) {
    for (int off = 0; off < body.length; off += piece) {
      reader.read(body, off, Math.min(piece, body.length - off));
    }
    return reader.finish();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 5, 6, 16 * 1024, 4 * MIB})
  void aMessageInAnyPiecesIsReadWholeAndItsBudgetGivenBack(int piece) {
    final byte[] message = message(300_000);
    for (ContentCoding coding : ContentCoding.values()) {
      final byte[] payload =
          switch (coding) {
            case IDENTITY -> message;
            case GZIP -> Compression.gzip(message);
            case DEFLATE -> Compression.zlib(message);
          };
      try (GrpcMessageReader reader = new GrpcMessageReader(coding, MIB, budget)) {
        final Outcome outcome =
            read(reader, H2cCall.frame(coding != ContentCoding.IDENTITY, payload), piece);
        assertThat(outcome).as(coding.name()).isInstanceOf(Message.class);
        assertThat(((Message) outcome).bytes().toByteArray()).isEqualTo(message);
        assertThat(budget.usedBytes())
            .as("held until closed")
            .isGreaterThanOrEqualTo(message.length);
      }
      assertThat(budget.usedBytes()).isZero();
    }
  }

  @Test
  void anUncompressedFrameIsHeldInChunksNoLargerThanItNeeds() {
    try (GrpcMessageReader reader =
        new GrpcMessageReader(ContentCoding.IDENTITY, 16 * MIB, budget)) {
      read(reader, H2cCall.frame(false, message(3 * MIB + 10)), 16 * 1024);
      assertThat(reader.heldBytes()).isEqualTo(3 * MIB + 10);
    }
  }

  @Test
  void aBombOfEmptyResourceSpansDecodesToTheLimitPlusOneByteAndNoMore() {
    final byte[] bomb = Compression.resourceSpansBomb();
    final int limit = 16 * MIB;
    long maxHeld = 0;
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, limit, budget)) {
      final byte[] frame = H2cCall.frame(true, bomb);
      for (int off = 0; off < frame.length; off += 16 * 1024) {
        reader.read(frame, off, Math.min(16 * 1024, frame.length - off));
        maxHeld = Math.max(maxHeld, budget.usedBytes());
      }
      assertThat(reader.finish()).isInstanceOf(TooLarge.class);
      assertThat(reader.decodedBytes()).isEqualTo(limit + 1L);
      assertThat(reader.bodyBytes()).isEqualTo(frame.length);
    }
    assertThat(maxHeld).as("held at most").isLessThanOrEqualTo(limit + 1L);
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void aFrameLongerThanTheLimitIsNotReadAtAll() {
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.IDENTITY, MIB, budget)) {
      final Outcome outcome = read(reader, H2cCall.frame(false, new byte[MIB + 1]), 64 * 1024);
      assertThat(outcome).isInstanceOf(TooLarge.class);
      assertThat(reader.decodedBytes()).isZero();
      assertThat(reader.bodyBytes()).isEqualTo(MIB + 6);
    }
    // a compressed frame too, as grpc-java refuses it
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, 100, budget)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzip(message(1000))), 7))
          .isInstanceOf(TooLarge.class);
      assertThat(reader.decodedBytes()).isZero();
    }
  }

  @Test
  void aMessageOfExactlyTheLimitPasses() {
    final byte[] message = "x".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, 1000, budget)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzip(message)), 100))
          .isInstanceOf(Message.class);
    }
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, 999, budget)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzip(message)), 100))
          .isInstanceOf(TooLarge.class);
    }
  }

  @Test
  void withoutRoomInTheBudgetAMessageIsOverBudgetButABombIsStillTooLarge() {
    final MemoryBudget full = new MemoryBudget(MIB);
    full.acquire(MIB);
    final byte[] message = message(100_000);
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, 4 * MIB, full)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzip(message)), 1000))
          .isInstanceOf(OverBudget.class);
    }
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.IDENTITY, 4 * MIB, full)) {
      assertThat(read(reader, H2cCall.frame(false, message), 1000)).isInstanceOf(OverBudget.class);
    }
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, 4 * MIB, full)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzipBomb(64L * MIB)), 16 * 1024))
          .isInstanceOf(TooLarge.class);
      assertThat(reader.decodedBytes()).isEqualTo(4L * MIB + 1);
    }
    assertThat(full.usedBytes()).isEqualTo(MIB);
  }

  @Test
  void aMessageLargerThanTheBudgetPassesAnIdleService() {
    final MemoryBudget small = new MemoryBudget(100_000);
    final byte[] message = message(500_000);
    try (GrpcMessageReader reader = new GrpcMessageReader(ContentCoding.GZIP, MIB, small)) {
      assertThat(read(reader, H2cCall.frame(true, Compression.gzip(message)), 16 * 1024))
          .isInstanceOf(Message.class);
    }
    assertThat(small.usedBytes()).isZero();
  }

  @Test
  void whatIsNotOneWellFormedMessageIsMalformed() {
    final byte[] frame = H2cCall.frame(false, message(100));
    assertMalformed(ContentCoding.IDENTITY, new byte[0], "the request has no message");
    assertMalformed(
        ContentCoding.IDENTITY,
        Arrays.copyOf(frame, 3),
        "the request ended inside a gRPC frame header");
    assertMalformed(
        ContentCoding.IDENTITY,
        Arrays.copyOf(frame, 50),
        "the request ended inside a gRPC message");
    final byte[] two = Arrays.copyOf(frame, 2 * frame.length);
    System.arraycopy(frame, 0, two, frame.length, frame.length);
    assertMalformed(ContentCoding.IDENTITY, two, "more than one message in a unary call");
    final byte[] flags = frame.clone();
    flags[0] = 2;
    assertMalformed(
        ContentCoding.IDENTITY, flags, "invalid gRPC frame header: flags 2 (expected: 0 or 1)");
    assertMalformed(
        ContentCoding.IDENTITY,
        H2cCall.frame(true, Compression.gzip(message(100))),
        "a compressed gRPC message without a grpc-encoding header");
    assertMalformed(
        ContentCoding.GZIP,
        H2cCall.frame(true, message(100)),
        "cannot decode the gzip message: not in gzip format");
  }

  private void assertMalformed(ContentCoding coding, byte[] body, String message) {
    try (GrpcMessageReader reader = new GrpcMessageReader(coding, MIB, budget)) {
      assertThat(read(reader, body, 7)).isEqualTo(new Malformed(message));
    }
    assertThat(budget.usedBytes()).isZero();
  }
}
