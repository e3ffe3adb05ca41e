package dev.genainormalizer.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DebugExporterTest {
  private static final ExportTraceServiceRequest CHAT = TestTraces.fixture("kong-3.13-chat.json");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExporterSettings settings =
      new ExporterSettings(
          ComponentId.of("debug"), registry, Clock.SYSTEM, new MemoryBudget(1L << 30));

  private String print(DebugExporterConfig config, ExportTraceServiceRequest request)
      throws Exception {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final TraceExporter exporter =
        new DebugExporterFactory()
            .create(config, settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    exporter.start();
    assertThat(exporter.export(TraceBatch.of(request))).isTrue();
    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(registry.get(ExporterTelemetry.SENT_SPANS).counter().count())
        .isEqualTo(TraceBatch.countSpans(request));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void detailedShowsEverySpanWithHexIdsAndTypedAttributes() throws Exception {
    final String out = print(DebugExporterConfig.defaults(), CHAT);

    final Span genAi = span("kong.gen_ai");
    assertThat(out)
        .contains("Span kong.gen_ai\n")
        .contains("Trace ID: " + hex(genAi.getTraceId().toByteArray()))
        .contains("Span ID: " + hex(genAi.getSpanId().toByteArray()))
        .contains("Parent ID: " + hex(genAi.getParentSpanId().toByteArray()))
        .contains("service.name: Str(kong-ai-gateway)")
        .contains("http.status_code: Int(")
        .contains("gen_ai.usage.input_tokens: Double(")
        .contains("gen_ai.response.finish_reasons: Slice([")
        .contains("Kind: Server")
        .contains("Duration: ");
    for (Span s : CHAT.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
      assertThat(out).contains("Span " + s.getName() + "\n");
    }
    // resource attributes once per resource, not per span
    assertThat(out.split("\nResource\n|^Resource\n", -1)).hasSize(CHAT.getResourceSpansCount() + 1);
  }

  @Test
  void cutsLongValuesAndSaysHowMuchWasLeftOut() throws Exception {
    final String out = print(new DebugExporterConfig(Verbosity.DETAILED, 40), CHAT);

    final String output = attribute(span("kong.gen_ai"), "gen_ai.output.messages");
    assertThat(output.length()).isGreaterThan(40);
    assertThat(out)
        .contains(
            "gen_ai.output.messages: Str("
                + output.substring(0, 40)
                + "…("
                + (output.length() - 40)
                + " more chars))");
    assertThat(out).doesNotContain(output);
  }

  @Test
  void basicPrintsOneLinePerSpan() throws Exception {
    final String out = print(new DebugExporterConfig(Verbosity.BASIC, null), CHAT);

    assertThat(out.lines()).hasSize(TraceBatch.countSpans(CHAT));
    assertThat(out)
        .contains("kong.gen_ai trace=" + hex(span("kong.gen_ai").getTraceId().toByteArray()));
  }

  @Test
  void maxValueLengthMustBePositive() {
    assertThat(new DebugExporterConfig(null, 0).validate())
        .containsExactly("max_value_length: 0 (expected: >= 1)");
    assertThat(DebugExporterConfig.defaults())
        .isEqualTo(new DebugExporterConfig(Verbosity.DETAILED, 256));
    assertThat(DebugExporterConfig.defaults().validate()).isEmpty();
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    final SpanPrinter printer = new SpanPrinter(Verbosity.DETAILED, 3);

    assertThat(printer.cut("ab😀cd")).isEqualTo("ab…(4 more chars)");
    assertThat(printer.cut("abc")).isEqualTo("abc");
  }

  private static Span span(String name) {
    return CHAT.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst()
        .orElseThrow()
        .getStringValue();
  }

  private static String hex(byte[] id) {
    return HexFormat.of().formatHex(id);
  }

  @Test
  void credentialAttributesAndUrlCredentialsAreRedacted() {
    final var span = io.opentelemetry.proto.trace.v1.Span.newBuilder().setName("s");
    for (String[] kv :
        new String[][] {
          {"http.request.header.authorization", "Bearer sk-live-123"},
          {"http.request.header.x-api-key", "sk-live-123"},
          {"Cookie", "session=sk-live-123"},
          {"http.url", "https://kong.example/openai?apikey=sk-live-123"},
          {"gen_ai.request.model", "gpt-4o-mini"}
        }) {
      span.addAttributes(
          io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
              .setKey(kv[0])
              .setValue(
                  io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(kv[1])));
    }
    final var request =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
            .build();
    final String printed = new SpanPrinter(Verbosity.DETAILED, 256).print(request);
    assertThat(printed)
        .contains("http.request.header.authorization: Str([REDACTED])")
        .contains("http.request.header.x-api-key: Str([REDACTED])")
        .contains("Cookie: Str([REDACTED])")
        .contains("http.url: Str(https://kong.example/openai?apikey=***)")
        .contains("gen_ai.request.model: Str(gpt-4o-mini)")
        .doesNotContain("sk-live-123");
  }
}
