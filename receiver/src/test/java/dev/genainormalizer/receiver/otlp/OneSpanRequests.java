package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;

/** Requests of one span whose one attribute makes them as large as a test needs. */
final class OneSpanRequests {
  private OneSpanRequests() {}

  static ExportTraceServiceRequest withAttribute(String value) {
    final Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("chat")
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("gen_ai.output.messages")
                    .setValue(AnyValue.newBuilder().setStringValue(value)))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  /** About {@code bytes} long; compresses to next to nothing. */
  static ExportTraceServiceRequest ofSize(int bytes) {
    return withAttribute("x".repeat(bytes));
  }

  /** About {@code bytes} long, of letters drawn at random: gzip shrinks it only about 1.6x. */
  static ExportTraceServiceRequest ofRandomLetters(int bytes) {
    final Random random = new Random(7);
    final char[] out = new char[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (char) ('a' + random.nextInt(26));
    }
    return withAttribute(new String(out));
  }
}
