package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.ByteSize;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every place an attribute can sit is checked, at the limit (accepted) and one over it (refused,
 * naming the place): requests within the limits take a check that does not name places.
 */
class RequestLimitsTest {
  private static final RequestLimits LIMITS =
      new RequestLimits(new ReceiverLimits(10, 2, ByteSize.ofBytes(4), 3));

  @Test
  void resourceAndScopeAttributes() {
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs.setResource(Resource.newBuilder().addAttributes(kv("a", "1234"))),
                    ss -> ss,
                    s -> s)))
        .isEmpty();
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs.setResource(Resource.newBuilder().addAttributes(kv("a", "12345"))),
                    ss -> ss,
                    s -> s)))
        .contains(
            "resourceSpans[0].resource.attributes[a]: value of 5 bytes (max_attribute_value_bytes: 4)");
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs,
                    ss ->
                        ss.setScope(
                            InstrumentationScope.newBuilder()
                                .addAttributes(kv("a", "1"))
                                .addAttributes(kv("b", "2"))
                                .addAttributes(kv("c", "3"))),
                    s -> s)))
        .contains(
            "resourceSpans[0].scopeSpans[0].scope.attributes: 3 attributes (max_attributes_per_span: 2)");
  }

  @Test
  void eventAndLinkAttributes() {
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs,
                    ss -> ss,
                    s -> s.addEvents(Span.Event.newBuilder().addAttributes(kv("e", "1234"))))))
        .isEmpty();
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs,
                    ss -> ss,
                    s ->
                        s.addEvents(Span.Event.newBuilder())
                            .addEvents(Span.Event.newBuilder().addAttributes(kv("e", "12345"))))))
        .contains(
            "resourceSpans[0].scopeSpans[0].spans[0].events[1].attributes[e]: value of 5 bytes"
                + " (max_attribute_value_bytes: 4)");
    assertThat(
            LIMITS.violation(
                request(
                    rs -> rs,
                    ss -> ss,
                    s ->
                        s.addLinks(
                            Span.Link.newBuilder()
                                .addAttributes(
                                    KeyValue.newBuilder()
                                        .setKey("l")
                                        .setValue(
                                            AnyValue.newBuilder()
                                                .setBytesValue(
                                                    ByteString.copyFrom(new byte[5]))))))))
        .contains(
            "resourceSpans[0].scopeSpans[0].spans[0].links[0].attributes[l]: value of 5 bytes"
                + " (max_attribute_value_bytes: 4)");
  }

  @Test
  void kvlistEntriesAndNesting() {
    final AnyValue two =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder().addValues(kv("x", "1")).addValues(kv("y", "2")))
            .build();
    final AnyValue three =
        two.toBuilder()
            .setKvlistValue(two.getKvlistValue().toBuilder().addValues(kv("z", "3")))
            .build();
    assertThat(LIMITS.violation(request(rs -> rs, ss -> ss, s -> s.addAttributes(kv("m", two)))))
        .isEmpty();
    assertThat(LIMITS.violation(request(rs -> rs, ss -> ss, s -> s.addAttributes(kv("m", three)))))
        .contains(
            "resourceSpans[0].scopeSpans[0].spans[0].attributes[m]: kvlist of 3 entries"
                + " (max_attributes_per_span: 2)");
    final AnyValue nested =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(
                        kv(
                            "n",
                            AnyValue.newBuilder()
                                .setKvlistValue(
                                    KeyValueList.newBuilder().addValues(kv("deep", two)))
                                .build())))
            .build();
    assertThat(LIMITS.violation(request(rs -> rs, ss -> ss, s -> s.addAttributes(kv("m", nested)))))
        .contains(
            "resourceSpans[0].scopeSpans[0].spans[0].attributes[m].n.deep: value nested deeper than 3 levels"
                + " (max_anyvalue_depth: 3)");
  }

  @Test
  void theSpanCountIsReportedBeforeAnyAttribute() {
    final ExportTraceServiceRequest.Builder many = ExportTraceServiceRequest.newBuilder();
    final ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < 11; i++) {
      ss.addSpans(Span.newBuilder().addAttributes(kv("a", "123456")));
    }
    many.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss));
    assertThat(LIMITS.violation(many.build()))
        .contains("request has 11 spans (max_spans_per_request: 10)");
  }

  private static ExportTraceServiceRequest request(
      UnaryOperator<ResourceSpans.Builder> resource,
      UnaryOperator<ScopeSpans.Builder> scope,
      UnaryOperator<Span.Builder> span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            resource
                .apply(ResourceSpans.newBuilder())
                .addScopeSpans(
                    scope.apply(ScopeSpans.newBuilder()).addSpans(span.apply(Span.newBuilder()))))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return kv(key, AnyValue.newBuilder().setStringValue(value).build());
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}
