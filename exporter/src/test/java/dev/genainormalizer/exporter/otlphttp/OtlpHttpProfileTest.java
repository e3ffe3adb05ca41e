package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.otlp.OtlpExporterConfig;
import dev.genainormalizer.exporter.otlp.OtlpExporterFactory;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.exporter.testing.Yaml;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code profile:} and {@code content:} of the generic OTLP exporters. */
class OtlpHttpProfileTest {
  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
  private static final OtlpHttpExporterFactory FACTORY = new OtlpHttpExporterFactory();

  @RegisterExtension
  static final ServerExtension server =
      new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
          sb.service(
              "/v1/traces",
              (ctx, req) ->
                  HttpResponse.of(
                      req.aggregate()
                          .thenApply(
                              agg -> {
                                try {
                                  RECEIVED.add(
                                      ExportTraceServiceRequest.parseFrom(agg.content().array()));
                                } catch (Exception e) {
                                  return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                }
                                return HttpResponse.of(HttpStatus.OK);
                              })));
        }
      };

  @Test
  void profileAndContentBindAndDefault() throws Exception {
    final OtlpHttpExporterConfig c = Yaml.load(FACTORY, getClass(), "profile.yaml", Map.of());
    assertThat(c.profile()).isEqualTo("openinference");
    assertThat(c.content()).isEqualTo(ContentPolicy.DROP);
    assertThat(OtlpHttpExporterConfig.defaults().profile()).isEqualTo("genai");
    assertThat(OtlpHttpExporterConfig.defaults().content()).isEqualTo(ContentPolicy.KEEP);
    final OtlpExporterConfig grpc =
        Yaml.load(new OtlpExporterFactory(), OtlpExporterConfig.class, "profile.yaml", Map.of());
    assertThat(grpc.profile()).isEqualTo("openllmetry");
    assertThat(grpc.content()).isEqualTo(ContentPolicy.DROP);
    assertThat(OtlpExporterConfig.defaults().profile()).isEqualTo("genai");
  }

  @Test
  void refusesAnUnknownProfileOrOneThatNeedsSettings() {
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_profile.yaml"))
        .singleElement()
        .asString()
        .startsWith("exporters.otlphttp.profile: 'arize' (expected: one of genai, openinference,");
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_profile_needs_settings.yaml"))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.otlphttp.profile: fiddler needs settings the generic exporter does not take")
        .contains("application_id");
  }

  @Test
  void sendsTheProfilesMappingWithoutContent() throws Exception {
    RECEIVED.clear();
    final OtlpHttpExporterConfig config =
        new OtlpHttpExporterConfig(
            new HttpClientSettings(
                server.httpUri().toString(), null, Compression.NONE, null, null, null, null),
            null,
            null,
            "openinference",
            ContentPolicy.DROP);
    final TraceExporter exporter = FACTORY.create(config, VendorConfigs.settings("otlphttp"));
    exporter.start();
    exporter.export(TraceBatch.of(chat()));
    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS)).isZero();

    assertThat(RECEIVED)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList())
                    .extracting(KeyValue::getKey)
                    .contains(
                        "openinference.span.kind", "llm.model_name", "gen_ai.usage.input_tokens")
                    .doesNotContain(
                        "gen_ai.input.messages",
                        "input.value",
                        "llm.input_messages.0.message.content"));
  }

  private static ExportTraceServiceRequest chat() {
    final Span span =
        Span.newBuilder()
            .setName("chat gpt-4o-mini")
            .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"))
            .addAttributes(
                kv(
                    "gen_ai.input.messages",
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("gen_ai.usage.input_tokens")
                    .setValue(AnyValue.newBuilder().setIntValue(3)))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
