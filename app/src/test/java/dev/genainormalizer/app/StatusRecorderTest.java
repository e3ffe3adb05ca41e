package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.MockClock;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {
  private final StatusRecorder recorder =
      new StatusRecorder(new MockClock(), AttributeRedactor.credentials());

  @Test
  void keepsTheLastSpansOfABatchAcrossResourcesAndScopesNewestFirst() {
    // 30 spans: service a holds 12 in two scopes (5 + 7), b holds 8, c holds 10
    final ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resource("a", scope(0, 5), scope(5, 7)))
            .addResourceSpans(resource("b", scope(12, 8)))
            .addResourceSpans(resource("c", scope(20, 10)))
            .build();

    recorder.received("otlp", TraceBatch.of(request));

    final List<StatusRecorder.RecentSpan> recent = recorder.recentSpans();
    assertThat(recent).hasSize(StatusRecorder.RECENT_SPANS);
    assertThat(recent).extracting(StatusRecorder.RecentSpan::name).first().isEqualTo("span-29");
    assertThat(recent).extracting(StatusRecorder.RecentSpan::name).last().isEqualTo("span-10");
    assertThat(recent.get(0).service()).isEqualTo("c");
    assertThat(recent.get(10).service()).isEqualTo("b"); // span-19
    assertThat(recent.get(19).service()).isEqualTo("a"); // span-10, in a's second scope
  }

  @Test
  void aLaterBatchPushesOutTheOldestSpans() {
    recorder.received(
        "otlp",
        TraceBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("a", scope(0, 15)))
                .build()));
    recorder.received(
        "otlp",
        TraceBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("b", scope(100, 10)))
                .build()));

    final List<StatusRecorder.RecentSpan> recent = recorder.recentSpans();
    assertThat(recent).hasSize(StatusRecorder.RECENT_SPANS);
    assertThat(recent.get(0).name()).isEqualTo("span-109");
    assertThat(recent.get(19).name()).isEqualTo("span-5");
  }

  @Test
  void credentialsAreRedactedWhenShown() {
    final Span span =
        span(1).toBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.request.header.authorization")
                    .setValue(AnyValue.newBuilder().setStringValue("Bearer sk-secret-token")))
            .build();
    recorder.received(
        "otlp",
        TraceBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                    ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build()));

    assertThat(recorder.recentSpans().get(0).attributes().toString())
        .doesNotContain("sk-secret-token");
  }

  private static ResourceSpans resource(String service, ScopeSpans... scopes) {
    final ResourceSpans.Builder rs =
        ResourceSpans.newBuilder()
            .setResource(
                Resource.newBuilder()
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("service.name")
                            .setValue(AnyValue.newBuilder().setStringValue(service))));
    for (ScopeSpans s : scopes) {
      rs.addScopeSpans(s);
    }
    return rs.build();
  }

  private static ScopeSpans scope(int first, int count) {
    final ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = first; i < first + count; i++) {
      ss.addSpans(span(i));
    }
    return ss.build();
  }

  private static Span span(int i) {
    return Span.newBuilder()
        .setName("span-" + i)
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8]))
        .build();
  }
}
