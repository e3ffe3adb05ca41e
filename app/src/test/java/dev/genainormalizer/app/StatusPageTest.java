package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin status page and its JSON twin, over HTTP and in a real headless Chromium. */
class StatusPageTest {
  private static final Duration WAIT = Await.TIMEOUT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private OtlpSink sink;
  private RunningService service;

  /** Credential attributes a sender may record, with values that must never be shown. */
  private static final List<String[]> CREDENTIAL_ATTRIBUTES =
      List.of(
          new String[] {"http.request.header.authorization", "Bearer sk-attr-bearer-1"},
          new String[] {"http.request.header.x-api-key", "sk-attr-xapikey-2"},
          new String[] {"http.request.header.cookie", "session=sk-attr-cookie-3"},
          new String[] {"provider.api_key", "sk-attr-apikey-4"},
          new String[] {"db.password", "sk-attr-password-5"});

  private static final String URL_SECRET = "sk-attr-url-6";

  /** Text only the prompt and the completion of the Kong fixture contain. */
  private static final List<String> CONTENT = List.of("capital of Australia", "Canberra");

  @BeforeEach
  void start() {
    sink = new OtlpSink();
    service = new RunningService(config(TestConfig.builder()));
  }

  private String config(TestConfig builder) {
    return builder
        .grpc("127.0.0.1:0")
        .processor("kong")
        .processor("genai")
        .exporter(
            "otlphttp/backend",
            "endpoint: " + sink.httpBase(),
            "headers: { authorization: Bearer sk-very-secret-token }")
        .pipeline("traces/llm")
        .yaml();
  }

  @AfterEach
  void stop() {
    service.close();
    sink.close();
  }

  @Test
  void jsonShowsPipelinesExportersDropsRecentSpansAndTheBatchAsSent() throws Exception {
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.spanCount() == 1, "the Gen AI span at the sink");
    OtlpSink.await(
        WAIT,
        () -> status().path("exporters").path(0).path("sent_spans").asLong() == 1,
        "sent counted");
    final JsonNode status = status();
    assertThat(status.path("version").asText()).isNotEmpty();
    assertThat(status.path("ready").asBoolean()).isTrue();
    final JsonNode pipeline = status.path("pipelines").path(0);
    assertThat(pipeline.path("id").asText()).isEqualTo("traces/llm");
    assertThat(pipeline.path("processors").toString()).isEqualTo("[\"kong\",\"genai\"]");
    final JsonNode exporter = status.path("exporters").path(0);
    assertThat(exporter.path("id").asText()).isEqualTo("otlphttp/backend");
    assertThat(exporter.path("queue_capacity").asLong()).isPositive();
    assertThat(exporter.path("last_error").asText()).isEmpty();
    // The batch as the backend got it, prompt and completion hidden (show_content is off by
    // default).
    final ExportTraceServiceRequest asSent =
        dev.genainormalizer.otlp.OtlpJson.parseTraces(
            exporter.path("last_sent").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(asSent)
        .isEqualTo(
            AttributeRedactor.credentialsAndContent(VendorProfiles::isContentKey)
                .redact(sink.received().get(0).request()));
    final int received =
        dev.genainormalizer.pipeline.TraceBatch.countSpans(
            TestTraces.fixture("kong-3.13-chat.json"));
    assertThat(status.path("recent_spans")).hasSize(received);
    assertThat(status.path("recent_spans").findValuesAsText("name"))
        .contains("kong.gen_ai", "kong");
    assertThat(
            status
                .path("drops")
                .path("processor_dropped_spans_by_reason")
                .path("infrastructure")
                .asLong())
        .isEqualTo(received - 1);
    assertThat(status.toString()).doesNotContain("sk-very-secret-token");
  }

  @Test
  void credentialAttributesAreShownRedactedOnThePageAndInJson() throws Exception {
    final Span.Builder span =
        Span.newBuilder()
            .setName("with-credentials")
            .setTraceId(
                com.google.protobuf.ByteString.copyFrom(
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setStartTimeUnixNano(1)
            .setEndTimeUnixNano(2);
    for (String[] kv : CREDENTIAL_ATTRIBUTES) {
      span.addAttributes(attribute(kv[0], kv[1]));
    }
    span.addAttributes(
        attribute(
            "http.url", "https://kong.example/openai?api_key=" + URL_SECRET + "&stream=true"));
    send(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build());
    OtlpSink.await(
        WAIT, () -> status().path("recent_spans").size() == 1, "the span on the status page");

    final JsonNode attributes = status().path("recent_spans").path(0).path("attributes");
    final String page = WebClient.of().get(service.adminUrl("/")).aggregate().join().contentUtf8();
    for (String[] kv : CREDENTIAL_ATTRIBUTES) {
      assertThat(attributes.path(kv[0]).asText()).as(kv[0]).isEqualTo("[REDACTED]");
      assertThat(page).contains("<td>" + kv[0] + "</td><td>[REDACTED]</td>");
    }
    assertThat(attributes.path("http.url").asText())
        .isEqualTo("https://kong.example/openai?api_key=***&stream=true");
    for (String body : List.of(status().toString(), page)) {
      for (String[] kv : CREDENTIAL_ATTRIBUTES) {
        assertThat(body).doesNotContain(kv[1].replace("Bearer ", "").replace("session=", ""));
      }
      assertThat(body).doesNotContain(URL_SECRET);
    }
  }

  @Test
  void promptAndCompletionAreHiddenByDefault() throws Exception {
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.spanCount() == 1, "the Gen AI span at the sink");
    OtlpSink.await(
        WAIT,
        () -> !status().path("exporters").path(0).path("last_sent").asText().isEmpty(),
        "last sent");
    final JsonNode status = status();
    final String page = WebClient.of().get(service.adminUrl("/")).aggregate().join().contentUtf8();
    assertThat(status.path("show_content").asBoolean()).isFalse();
    assertThat(genAiSpan(status).path("attributes").path("gen_ai.input.messages").asText())
        .isEqualTo(AttributeRedactor.CONTENT_HIDDEN);
    assertThat(page)
        .contains("prompt and completion text hidden (service.telemetry.admin.show_content)");
    for (String text : CONTENT) {
      assertThat(status.toString()).as(text).doesNotContain(text);
      assertThat(page).as(text).doesNotContain(text);
    }
    // the backend did get the content: hiding is for display only
    assertThat(dev.genainormalizer.otlp.OtlpJson.printTraces(sink.received().get(0).request()))
        .contains(CONTENT);
  }

  @Test
  void promptAndCompletionAreShownWithShowContent() throws Exception {
    service.close();
    service = new RunningService(config(TestConfig.builder().showContent()));
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.spanCount() == 1, "the Gen AI span at the sink");
    OtlpSink.await(
        WAIT,
        () -> !status().path("exporters").path(0).path("last_sent").asText().isEmpty(),
        "last sent");
    final JsonNode status = status();
    assertThat(status.path("show_content").asBoolean()).isTrue();
    assertThat(genAiSpan(status).path("attributes").path("gen_ai.input.messages").asText())
        .contains(CONTENT.get(0));
    // exactly as the backend got it
    final ExportTraceServiceRequest asSent =
        dev.genainormalizer.otlp.OtlpJson.parseTraces(
            status
                .path("exporters")
                .path(0)
                .path("last_sent")
                .asText()
                .getBytes(StandardCharsets.UTF_8));
    assertThat(asSent).isEqualTo(sink.received().get(0).request());
    final String page = WebClient.of().get(service.adminUrl("/")).aggregate().join().contentUtf8();
    assertThat(page).contains(CONTENT).doesNotContain("text hidden");
  }

  @Test
  void aLoadbalancingExporterShowsTheFiguresOfItsBackends() throws Exception {
    service.close();
    try (OtlpSink first = new OtlpSink();
        OtlpSink second = new OtlpSink()) {
      first.failNext(1, 503); // one failed attempt: a retry and a last error on the row
      service =
          new RunningService(
              TestConfig.builder()
                  .exporter(
                      "loadbalancing",
                      "protocol:",
                      "  otlp:",
                      "    compression: none",
                      "    retry_on_failure: { initial_interval: 100ms, max_interval: 500ms }",
                      "    sending_queue: { queue_size: 100 }",
                      "resolver:",
                      "  static: { hostnames: ["
                          + first.grpcEndpoint()
                          + ", "
                          + second.grpcEndpoint()
                          + "] }")
                  .yaml());
      final int spans = 40;
      final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int i = 0; i < spans; i++) {
        final byte[] traceId = new byte[16];
        traceId[0] = 1;
        traceId[15] = (byte) i; // one trace per span: both backends get a share
        scope.addSpans(
            Span.newBuilder()
                .setName("span-" + i)
                .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
                .setSpanId(
                    com.google.protobuf.ByteString.copyFrom(
                        new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) i}))
                .setStartTimeUnixNano(1)
                .setEndTimeUnixNano(2));
      }
      send(
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
              .build());
      OtlpSink.await(
          WAIT, () -> first.spanCount() + second.spanCount() == spans, "every span at a backend");
      OtlpSink.await(
          WAIT,
          () -> status().path("exporters").path(0).path("sent_spans").asLong() == spans,
          "the backends' sent spans on the loadbalancing row");

      final JsonNode exporter = status().path("exporters").path(0);
      assertThat(exporter.path("id").asText()).isEqualTo("loadbalancing");
      assertThat(first.spanCount()).as("the first backend's share").isPositive();
      assertThat(second.spanCount()).as("the second backend's share").isPositive();
      assertThat(exporter.path("queue_capacity").asLong())
          .as("both backends' queues")
          .isEqualTo(200);
      assertThat(exporter.path("retries").asLong()).isEqualTo(1);
      assertThat(exporter.path("send_failed_spans").asLong()).isZero();
      assertThat(exporter.path("last_error").asText()).contains("queued failure");
      assertThat(exporter.path("last_error_at").asText()).isNotEmpty();
      // the last batch a backend accepted, exactly as that backend got it
      final ExportTraceServiceRequest lastSent =
          dev.genainormalizer.otlp.OtlpJson.parseTraces(
              exporter.path("last_sent").asText().getBytes(StandardCharsets.UTF_8));
      final List<ExportTraceServiceRequest> received = new ArrayList<>();
      for (OtlpSink sink : List.of(first, second)) {
        sink.received().forEach(r -> received.add(r.request()));
      }
      assertThat(received).contains(lastSent);
      final String page =
          WebClient.of().get(service.adminUrl("/")).aggregate().join().contentUtf8();
      assertThat(page)
          .contains(
              "<tr class=\"exporter\"><td>loadbalancing</td><td>0 / 200</td><td>"
                  + spans
                  + "</td>");
    }
  }

  private static JsonNode genAiSpan(JsonNode status) {
    for (JsonNode span : status.path("recent_spans")) {
      if (span.path("name").asText().equals("kong.gen_ai")) {
        return span;
      }
    }
    throw new AssertionError("no kong.gen_ai span in " + status.path("recent_spans"));
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  @Test
  void recentSpansAreBoundedAndHtmlIsEscaped() throws Exception {
    for (int i = 0; i < StatusRecorder.RECENT_SPANS + 5; i++) {
      send(span("<script>alert(" + i + ")</script>"));
    }
    final AggregatedHttpResponse page =
        WebClient.of().get(service.adminUrl("/")).aggregate().join();
    assertThat(page.status().code()).isEqualTo(200);
    assertThat(page.contentType().is(MediaType.HTML_UTF_8)).isTrue();
    assertThat(page.contentUtf8())
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(24)&lt;/script&gt;");
    assertThat(status().path("recent_spans")).hasSize(StatusRecorder.RECENT_SPANS);
    assertThat(status().path("recent_spans").path(0).path("name").asText())
        .isEqualTo("<script>alert(24)</script>");
  }

  @Test
  void theStatusPageRendersInHeadlessChromium(@TempDir Path profile) throws Exception {
    final String chromium = findChromium();
    assumeTrue(
        chromium != null,
        "chromium is not installed (.ci/run installs Debian's chromium); the status page was not checked in a browser");
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.spanCount() == 1, "the Gen AI span at the sink");
    final String url = service.adminUrl("/");
    final String dom = runChromium(chromium, profile, "--dump-dom", url);
    assertThat(dom)
        .contains("genai-normalizer")
        .contains("traces/llm")
        .contains("otlphttp/backend")
        .contains("kong → genai")
        .contains("class=\"span-name\">kong.gen_ai<");
    final Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs");
    // docs/status-page.png is refreshed only on request, so a test run leaves the tree unchanged.
    final Path screenshot =
        Boolean.getBoolean("golden.update") && Files.isDirectory(docs)
            ? docs.resolve("status-page.png")
            : profile.resolve("status-page.png");
    runChromium(chromium, profile, "--screenshot=" + screenshot, "--window-size=1280,1400", url);
    assertThat(Files.size(screenshot)).isPositive();
  }

  private static String runChromium(String chromium, Path profile, String... args)
      throws Exception {
    final List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.resolve("profile")));
    command.addAll(List.of(args));
    final Path out = profile.resolve("chromium.out");
    final Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(false)
            .redirectOutput(out.toFile())
            .redirectError(profile.resolve("chromium.err").toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90s: " + command);
    }
    assertThat(p.exitValue())
        .as("chromium exit; stderr: " + Files.readString(profile.resolve("chromium.err")))
        .isZero();
    return Files.readString(out);
  }

  private static String findChromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        final File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    return null;
  }

  private JsonNode status() {
    try {
      final AggregatedHttpResponse r =
          WebClient.of().get(service.adminUrl("/status.json")).aggregate().join();
      assertThat(r.status().code()).isEqualTo(200);
      return JSON.readTree(r.contentUtf8());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ExportTraceServiceRequest span(String name) {
    final byte[] traceId = new byte[16];
    traceId[15] = 1;
    final byte[] spanId = new byte[8];
    spanId[7] = (byte) name.hashCode();
    spanId[0] = 1;
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setName(name)
                                .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
                                .setSpanId(com.google.protobuf.ByteString.copyFrom(spanId))
                                .setStartTimeUnixNano(1)
                                .setEndTimeUnixNano(2)
                                .addAttributes(
                                    KeyValue.newBuilder()
                                        .setKey("x")
                                        .setValue(AnyValue.newBuilder().setStringValue("\"&'"))))))
        .build();
  }

  private void send(ExportTraceServiceRequest request) {
    final int status =
        WebClient.of()
            .execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.PROTOBUF)
                    .build(),
                HttpData.wrap(request.toByteArray()))
            .aggregate()
            .join()
            .status()
            .code();
    assertThat(status).isEqualTo(200);
  }
}
