package dev.genainormalizer.exporter.helper;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Duration;

final class HelperTestSupport {
  /** 10 ms growing to 50 ms, no jitter, never giving up. */
  static final RetryConfig FAST_RETRY =
      new RetryConfig(true, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ZERO, 1.5, 0);

  private HelperTestSupport() {}

  /** One batch of {@code n} spans, those of {@code batch(100)} to {@code batch(100 + n - 1)}. */
  static TraceBatch batchOfSpans(int n) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addSpans(batch(100 + i).request().getResourceSpans(0).getScopeSpans(0).getSpans(0));
    }
    return TraceBatch.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
            .build());
  }

  /** A one-span batch whose span id is {@code n}, so batches can be told apart. */
  static TraceBatch batch(long n) {
    final Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n + 1).array()))
            .setName("span-" + n)
            .build();
    return TraceBatch.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build());
  }
}
