package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default pipeline {@code [kong, genai]} in the running service: Kong's nine spans in, one
 * normalized Gen AI span out at a real OTLP backend, checked attribute by attribute.
 */
class NormalizationEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OtlpSink sink;
  private RunningService service;

  @BeforeEach
  void start() {
    sink = new OtlpSink();
    service =
        new RunningService(
            TestConfig.builder()
                .grpc("127.0.0.1:0")
                // a trace split across two requests must not be given up on between them, however
                // busy the
                // machine; a whole trace still goes out at once
                .processor("kong", "trace_wait: 60s")
                .processor("genai")
                .exporter("otlphttp", "endpoint: " + sink.httpBase())
                .yaml());
  }

  @AfterEach
  void stop() {
    service.close();
    sink.close();
  }

  @Test
  void theChatTraceBecomesOneNormalizedGenAiSpan() throws Exception {
    send(TestTraces.fixture("kong-3.13-chat.json"));
    final Span span = onlySpanAtSink();
    final Map<String, AnyValue> attrs = attributes(span);

    assertThat(span.getName()).isEqualTo("kong.gen_ai");
    assertThat(hex(span.getTraceId()))
        .isEqualTo(
            hex(
                TestTraces.fixture("kong-3.13-chat.json")
                    .getResourceSpans(0)
                    .getScopeSpans(0)
                    .getSpans(0)
                    .getTraceId()
                    .toByteArray()));
    assertThat(span.getParentSpanId().isEmpty()).as("the Gen AI span is the root").isTrue();
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);

    assertThat(attrs.get("gen_ai.operation.name").getStringValue()).isEqualTo("chat");
    assertThat(attrs.get("gen_ai.provider.name").getStringValue()).isEqualTo("openai");
    assertThat(attrs.get("gen_ai.request.model").getStringValue()).isEqualTo("gpt-4o-mini");
    assertThat(attrs.get("gen_ai.request.max_tokens").getIntValue()).isEqualTo(512);
    assertThat(attrs.get("gen_ai.response.model").getStringValue())
        .isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(attrs.get("gen_ai.response.id").getStringValue())
        .isEqualTo("chatcmpl-BXk2LZ0vQf8yR1sTq3mN7pW4aJ9cE");
    assertThat(attrs.get("gen_ai.response.finish_reasons").getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue)
        .containsExactly("stop");
    assertThat(attrs.get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(25);
    assertThat(attrs.get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(8);
    assertThat(attrs.get("gen_ai.usage.total_tokens").getIntValue()).isEqualTo(33);
    assertThat(attrs.get("gen_ai.conversation.id").getStringValue())
        .isEqualTo(hex(span.getTraceId()));
    // gpt-4o-mini list price: 0.15 USD per million input tokens, 0.60 per million output tokens.
    assertThat(attrs.get("gen_ai.usage.cost").getDoubleValue())
        .isCloseTo(25 * 0.15e-6 + 8 * 0.60e-6, within(1e-12));

    assertThat(json(attrs.get("gen_ai.input.messages")))
        .isEqualTo(
            JSON.readTree(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a concise assistant.\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the capital of Australia?\"}]}]"));
    assertThat(json(attrs.get("gen_ai.output.messages")))
        .isEqualTo(
            JSON.readTree(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"The capital of Australia is Canberra.\"}],"
                    + "\"finish_reason\":\"stop\"}]"));

    // Request context carried from Kong's dropped spans, under current semantic-convention names.
    assertThat(attrs.get("http.response.status_code").getIntValue()).isEqualTo(200);
    assertThat(attrs.get("server.address").getStringValue()).isEqualTo("api.openai.com");
    assertThat(attrs.get("kong.request.id").getStringValue())
        .isEqualTo("9f3b2c71d04e4a5e8b6f1c2d3e4a5b6c");
    assertThat(attrs.get("kong.route").getStringValue()).isEqualTo("/openai");

    final ExportTraceServiceRequest received = sink.received().get(0).request();
    assertThat(received.getResourceSpans(0).getResource().getAttributesList())
        .extracting(KeyValue::getKey)
        .contains("service.name");
  }

  @Test
  void aCallerTraceparentBecomesTheGenAiSpansParent() throws Exception {
    send(TestTraces.fixture("kong-3.13-traceparent.json"));
    final Span span = onlySpanAtSink();
    assertThat(hex(span.getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(hex(span.getParentSpanId())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void anUpstream500MarksTheGenAiSpanAsAnError() throws Exception {
    send(TestTraces.fixture("kong-3.13-upstream-500.json"));
    final Span span = onlySpanAtSink();
    final Map<String, AnyValue> attrs = attributes(span);
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attrs.get("error.type").getStringValue()).isEqualTo("500");
    assertThat(attrs.get("http.response.status_code").getIntValue()).isEqualTo(500);
    assertThat(attrs).doesNotContainKey("gen_ai.usage.input_tokens");
  }

  @Test
  void aTraceSplitAcrossTwoExportsIsReassembled() throws Exception {
    final ExportTraceServiceRequest chat = TestTraces.fixture("kong-3.13-chat.json");
    final List<Span> spans = chat.getResourceSpans(0).getScopeSpans(0).getSpansList();
    // The Gen AI span and its plugin parent first, Kong's root later, as a batch boundary can do.
    send(withSpans(chat, spans.subList(2, 9)));
    send(withSpans(chat, spans.subList(0, 2)));
    final Span span = onlySpanAtSink();
    assertThat(span.getName()).isEqualTo("kong.gen_ai");
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(attributes(span).get("kong.request.id").getStringValue())
        .isEqualTo("9f3b2c71d04e4a5e8b6f1c2d3e4a5b6c");
  }

  @Test
  void spansSharingOneIdKeepTheGenAiSpanAndTheSenderHearsOfTheRest() throws Exception {
    final ExportTraceServiceRequest chat = TestTraces.fixture("kong-3.13-chat.json");
    final com.google.protobuf.ByteString rootId =
        chat.getResourceSpans(0).getScopeSpans(0).getSpans(0).getSpanId();
    final List<Span> oneId =
        chat.getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
            .map(
                s ->
                    s.getParentSpanId().isEmpty()
                        ? s.toBuilder().setSpanId(rootId).build()
                        : s.toBuilder().setSpanId(rootId).setParentSpanId(rootId).build())
            .toList();

    final com.linecorp.armeria.common.AggregatedHttpResponse answer = post(withSpans(chat, oneId));

    assertThat(answer.status().code()).isEqualTo(200);
    final io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse response =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.parseFrom(
            answer.content().array());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(7);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("is already used by another span of trace");
    final Span span = onlySpanAtSink();
    assertThat(span.getName()).isEqualTo("kong.gen_ai");
    assertThat(span.getParentSpanId().isEmpty()).as("its own parent, so a root").isTrue();
  }

  private void send(ExportTraceServiceRequest request) {
    assertThat(post(request).status().code()).isEqualTo(200);
  }

  private com.linecorp.armeria.common.AggregatedHttpResponse post(
      ExportTraceServiceRequest request) {
    return WebClient.of()
        .execute(
            RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                .contentType(MediaType.PROTOBUF)
                .build(),
            HttpData.wrap(request.toByteArray()))
        .aggregate()
        .join();
  }

  private Span onlySpanAtSink() {
    OtlpSink.await(Await.TIMEOUT, () -> sink.spanCount() >= 1, "a span at the sink");
    assertThat(sink.spanCount()).isEqualTo(1);
    return sink.received().get(0).request().getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static ExportTraceServiceRequest withSpans(
      ExportTraceServiceRequest template, List<Span> spans) {
    final ResourceSpans rs = template.getResourceSpans(0);
    final ScopeSpans ss = rs.getScopeSpans(0);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            rs.toBuilder()
                .clearScopeSpans()
                .addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(spans)))
        .build();
  }

  private static Map<String, AnyValue> attributes(Span span) {
    return span.getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static JsonNode json(AnyValue value) throws Exception {
    return JSON.readTree(value.getStringValue());
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return hex(bytes.toByteArray());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
