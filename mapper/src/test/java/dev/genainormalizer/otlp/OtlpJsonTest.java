package dev.genainormalizer.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OtlpJsonTest {

  @Test
  void readsHexIdsAndDoubleEncodedNumbers() {
    final ExportTraceServiceRequest req = TestTraces.fixture("kong-3.13-traceparent.json");
    final Span root = req.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(root.getName()).isEqualTo("kong");
    assertThat(HexFormat.of().formatHex(root.getTraceId().toByteArray()))
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(HexFormat.of().formatHex(root.getParentSpanId().toByteArray()))
        .isEqualTo("b7ad6b7169203331");
    assertThat(req.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(9);
  }

  @ParameterizedTest
  @MethodSource("dev.genainormalizer.testing.TestTraces#kongFixtureNames")
  void roundTripsEveryFixture(String name) throws Exception {
    final ExportTraceServiceRequest req = TestTraces.fixture(name);
    final String printed = OtlpJson.printTraces(req);
    assertThat(OtlpJson.parseTraces(printed.getBytes(StandardCharsets.UTF_8))).isEqualTo(req);
    assertThat(printed).contains("\"traceId\":\"").doesNotContain("==\"");
  }

  @Test
  void acceptsEnumNamesNumericInt64AndSnakeCaseAndIgnoresUnknownFields() throws Exception {
    final String json =
        "{\"resource_spans\":[{\"scopeSpans\":[{\"spans\":[{\"trace_id\":\"0102030405060708090a0b0c0d0e0f10\","
            + "\"spanId\":\"0102030405060708\",\"name\":\"x\",\"kind\":\"SPAN_KIND_CLIENT\","
            + "\"startTimeUnixNano\":1700000000000000000,\"futureField\":{\"a\":1}}]}]}]}";
    final Span span =
        OtlpJson.parseTraces(json.getBytes(StandardCharsets.UTF_8))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1700000000000000000L);
    assertThat(span.getSpanId().size()).isEqualTo(8);
  }

  @Test
  void namesTheSpanWithABadId() {
    final String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"01\"}]}]}]}";
    assertThatThrownBy(() -> OtlpJson.parseTraces(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId");
  }

  @Test
  void rejectsInvalidJsonWithAReadableMessage() {
    assertThatThrownBy(
            () -> OtlpJson.parseTraces("{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageStartingWith("invalid JSON");
    assertThatThrownBy(() -> OtlpJson.parseTraces("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("expected a JSON object");
  }
}
