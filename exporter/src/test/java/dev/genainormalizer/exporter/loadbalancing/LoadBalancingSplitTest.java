package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancingSplitTest {

  static ByteString traceId(int n) {
    final byte[] b = new byte[16];
    b[15] = (byte) n;
    b[0] = 1;
    return ByteString.copyFrom(b);
  }

  static Span span(int trace, String name) {
    return Span.newBuilder()
        .setTraceId(traceId(trace))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName(name)
        .build();
  }

  static ResourceSpans resource(String service, String scope, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope))
                .setSchemaUrl("scope-schema")
                .addAllSpans(java.util.List.of(spans)))
        .build();
  }

  @Test
  void splitsByTraceKeepingResourceAndScope() {
    final TraceBatch batch =
        TraceBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                    resource("kong", "kong-scope", span(1, "a1"), span(2, "b1"), span(1, "a2")))
                .addResourceSpans(resource("app", "app-scope", span(2, "b2"), span(3, "c1")))
                .build());
    // traces 1 and 3 to "x", 2 to "y"
    final Map<String, TraceBatch> parts =
        TraceSplitter.split(batch, id -> id.equals(traceId(2)) ? "y" : "x");

    assertThat(parts).containsOnlyKeys("x", "y");
    assertThat(parts.get("x").spanCount()).isEqualTo(3);
    assertThat(parts.get("y").spanCount()).isEqualTo(2);
    assertThat(parts.get("x").request())
        .isEqualTo(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("kong", "kong-scope", span(1, "a1"), span(1, "a2")))
                .addResourceSpans(resource("app", "app-scope", span(3, "c1")))
                .build());
    assertThat(parts.get("y").request())
        .isEqualTo(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("kong", "kong-scope", span(2, "b1")))
                .addResourceSpans(resource("app", "app-scope", span(2, "b2")))
                .build());
  }

  @Test
  void oneOwnerKeepsTheBatchAsItWas() {
    final TraceBatch batch =
        TraceBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("kong", "kong-scope", span(1, "a1"), span(2, "b1")))
                .build());
    assertThat(TraceSplitter.split(batch, id -> "x")).containsExactly(Map.entry("x", batch));
  }
}
