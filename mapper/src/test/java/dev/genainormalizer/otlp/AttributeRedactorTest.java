package dev.genainormalizer.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

/** The shared rule applied to OTLP attributes, wherever they sit in a request. */
class AttributeRedactorTest {
  private static final String SECRET = "sk-live-0123456789";

  @Test
  void credentialValuesOfEveryTypeAndPlaceAreRedactedAndTheRestIsUntouched() {
    final ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(kv("service.name", str("kong")))
                            .addAttributes(kv("deployment.api_key", str(SECRET))))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(
                                Span.newBuilder()
                                    .setName("kong")
                                    .addAttributes(
                                        kv(
                                            "http.request.header.authorization",
                                            str("Bearer " + SECRET)))
                                    .addAttributes(
                                        kv(
                                            "http.request.header.x-api-key",
                                            AnyValue.newBuilder()
                                                .setArrayValue(
                                                    ArrayValue.newBuilder().addValues(str(SECRET)))
                                                .build()))
                                    .addAttributes(
                                        kv(
                                            "http.url",
                                            str(
                                                "https://kong.example/openai?apikey="
                                                    + SECRET
                                                    + "&stream=true")))
                                    .addAttributes(
                                        kv(
                                            "request",
                                            AnyValue.newBuilder()
                                                .setKvlistValue(
                                                    KeyValueList.newBuilder()
                                                        .addValues(
                                                            kv("cookie", str("session=" + SECRET)))
                                                        .addValues(kv("method", str("POST"))))
                                                .build()))
                                    .addAttributes(
                                        kv(
                                            "gen_ai.input.messages",
                                            str("[{\"role\":\"user\",\"content\":\"hi\"}]")))
                                    .addAttributes(
                                        kv(
                                            "gen_ai.usage.input_tokens",
                                            AnyValue.newBuilder().setDoubleValue(25).build()))
                                    .addEvents(
                                        Span.Event.newBuilder()
                                            .setName("e")
                                            .addAttributes(kv("password", str(SECRET))))
                                    .addLinks(
                                        Span.Link.newBuilder()
                                            .addAttributes(kv("id_token", str(SECRET)))))))
            .build();

    final ExportTraceServiceRequest shown = AttributeRedactor.credentials().redact(request);

    assertThat(OtlpJson.printTraces(shown))
        .doesNotContain(SECRET)
        .contains("[REDACTED]")
        .contains("apikey=***&stream=true")
        .contains("\"POST\"")
        .contains("\"kong\"")
        .contains("\\\"content\\\":\\\"hi\\\"");
    final Span span = shown.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo("[REDACTED]");
    assertThat(span.getAttributes(1).getValue().getStringValue()).isEqualTo("[REDACTED]");
    assertThat(span.getAttributes(4))
        .isSameAs(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributes(4));
    assertThat(span.getAttributes(5).getValue().getDoubleValue()).isEqualTo(25);
  }

  @Test
  void contentKeysAreHiddenOnlyWhenAsked() {
    final KeyValue messages = kv("gen_ai.input.messages", str("What is the capital of Australia?"));
    assertThat(AttributeRedactor.credentials().redact(messages)).isSameAs(messages);
    assertThat(
            AttributeRedactor.credentialsAndContent("gen_ai.input.messages"::equals)
                .redact(messages)
                .getValue()
                .getStringValue())
        .isEqualTo(AttributeRedactor.CONTENT_HIDDEN);
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}
