package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code genai-normalizer map}: the dry run prints exactly what the running service sends. */
class MapCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> SECRETS =
      List.of(
          "sk-very-secret-token",
          "fiddler-secret-key",
          "sk-lf-secret-5678",
          "mlflow-secret-pw",
          "o2-secret-pw",
          "phoenix-secret-key");

  @TempDir Path dir;

  /**
   * Six exporters to one sink. A long flush timeout makes each exporter send what it got as one
   * request at shutdown, as {@code map} shows what arrives together.
   */
  private static String config(String sinkBase) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: { endpoint: 127.0.0.1:0 }",
        "      http: { endpoint: 127.0.0.1:0 }",
        "processors:",
        "  kong: {}",
        "  genai: {}",
        "exporters:",
        "  otlphttp/backend:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase,
        "    headers: { authorization: Bearer sk-very-secret-token }",
        "  fiddler:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase + "/v-fiddler",
        "    api_key: fiddler-secret-key",
        "    application_id: 0b0c0d0e-0000-4000-8000-000000000001",
        "  langfuse:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase + "/v-langfuse",
        "    public_key: pk-lf-1234",
        "    secret_key: sk-lf-secret-5678",
        "  mlflow:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase + "/v-mlflow",
        "    experiment_id: \"7\"",
        "    username: alice",
        "    password: mlflow-secret-pw",
        "  openobserve:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase + "/v-openobserve",
        "    organization: acme",
        "    username: root@example.com",
        "    password: o2-secret-pw",
        "    stream: genai",
        "  phoenix:",
        "    sending_queue: { batch: { flush_timeout: 1m } }",
        "    endpoint: " + sinkBase + "/v-phoenix",
        "    project: kong",
        "    api_key: phoenix-secret-key",
        "service:",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [kong, genai]",
        "      exporters: [otlphttp/backend, fiddler, langfuse, mlflow, openobserve, phoenix]",
        "  telemetry:",
        "    admin: { endpoint: 127.0.0.1:0 }",
        "");
  }

  @ParameterizedTest
  @MethodSource("dev.genainormalizer.testing.TestTraces#kongFixtureNames")
  void mapOutputEqualsWhatTheEndToEndSinkReceives(String fixture) throws Exception {
    try (OtlpSink sink = new OtlpSink()) {
      final String yaml = config(sink.httpBase());
      final ExportTraceServiceRequest input = TestTraces.fixture(fixture);
      try (RunningService service = new RunningService(yaml)) {
        final int status =
            WebClient.of()
                .execute(
                    RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                        .contentType(MediaType.PROTOBUF)
                        .build(),
                    HttpData.wrap(input.toByteArray()))
                .aggregate()
                .join()
                .status()
                .code();
        assertThat(status).isEqualTo(200);
      } // stop drains held spans and queues, so everything has reached the sink
      final Path config = dir.resolve("config.yaml");
      Files.writeString(config, yaml);
      final Path file = dir.resolve(fixture);
      Files.write(file, TestTraces.fixtureBytes(fixture));
      final CliRun result = run(null, "map", "--config", config.toString(), file.toString());
      assertThat(result.code()).as(result.err()).isZero();
      for (String secret : SECRETS) {
        assertThat(result.out()).doesNotContain(secret);
      }
      final JsonNode exporters =
          JSON.readTree(result.out()).path("pipelines").path(0).path("exporters");
      assertThat(exporters).hasSize(6);
      for (JsonNode exporter : exporters) {
        final String id = exporter.path("exporter").asText();
        final String prefix = id.equals("otlphttp/backend") ? "/v1/traces" : "/v-" + id;
        assertThat(exporter.path("target").asText()).as(id).contains(sink.httpBase() + prefix);
        final List<ExportTraceServiceRequest> mapped = new ArrayList<>();
        for (JsonNode r : exporter.path("requests")) {
          mapped.add(OtlpJson.parseTraces(JSON.writeValueAsBytes(r)));
        }
        assertThat(mapped)
            .as(id + ": map output vs what the sink received")
            .isEqualTo(
                sink.received().stream()
                    .filter(r -> r.path().startsWith(prefix))
                    .map(OtlpSink.Received::request)
                    .toList());
        assertThat(mapped).as(id).isNotEmpty();
      }
    }
  }

  @Test
  void explainSaysWhatHappenedToEachSpanAndProtobufOnStdinWorks() throws Exception {
    final Path config = dir.resolve("config.yaml");
    Files.writeString(config, config("http://127.0.0.1:9"));
    final ExportTraceServiceRequest input = TestTraces.fixture("kong-3.13-chat.json");
    final CliRun result =
        run(
            input.toByteArray(),
            "map",
            "--config",
            config.toString(),
            "--explain",
            "--exporter",
            "otlphttp/backend",
            "-");
    assertThat(result.code()).as(result.err()).isZero();
    final JsonNode explain = JSON.readTree(result.out()).path("pipelines").path(0).path("explain");
    assertThat(explain).hasSize(dev.genainormalizer.pipeline.TraceBatch.countSpans(input));
    JsonNode genAi = null;
    int dropped = 0;
    for (JsonNode span : explain) {
      if (span.path("span").asText().equals("kong.gen_ai")) {
        genAi = span;
      } else {
        assertThat(span.path("outcome").asText()).isEqualTo("dropped");
        assertThat(span.path("why").asText()).contains("infrastructure");
        dropped++;
      }
    }
    assertThat(dropped).isEqualTo(explain.size() - 1);
    assertThat(genAi).isNotNull();
    assertThat(genAi.path("outcome").asText()).isEqualTo("kept");
    assertThat(genAi.path("reparented_from").asText())
        .isNotEqualTo(genAi.path("reparented_to").asText());
    assertThat(genAi.path("attributes_added").toString()).contains("gen_ai.usage.total_tokens");
    assertThat(genAi.path("attributes_changed").toString()).contains("gen_ai.input.messages");
  }

  /** As the debug exporter does: a terminal's output is recorded as often as stdout is. */
  @Test
  void credentialAttributesAndUrlCredentialsAreRedactedAndContentIsPrinted() throws Exception {
    final Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp: {}",
            "exporters:",
            "  otlphttp:",
            "    traces_endpoint: http://127.0.0.1:9/v1/traces?api_key=sk-map-url-secret",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      exporters: [otlphttp]",
            ""));
    final ExportTraceServiceRequest fixture = TestTraces.fixture("kong-3.13-chat.json");
    final ExportTraceServiceRequest.Builder input = fixture.toBuilder();
    input
        .getResourceSpansBuilder(0)
        .getScopeSpansBuilder(0)
        .getSpansBuilder(0)
        .addAttributes(
            io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey("http.request.header.authorization")
                .setValue(
                    io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                        .setStringValue("Bearer sk-map-attr-secret")));
    final CliRun result =
        run(input.build().toByteArray(), "map", "--config", config.toString(), "-");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .doesNotContain("sk-map-attr-secret")
        .doesNotContain("sk-map-url-secret")
        .contains("http.request.header.authorization")
        .contains("[REDACTED]")
        .contains("/v1/traces?api_key=***")
        .contains("capital of Australia");
  }

  @Test
  void badInputAndUnknownExporterAreClearErrors() throws Exception {
    final Path config = dir.resolve("config.yaml");
    Files.writeString(config, config("http://127.0.0.1:9"));
    final CliRun garbage =
        run("{not json".getBytes(StandardCharsets.UTF_8), "map", "--config", config.toString());
    assertThat(garbage.code()).isEqualTo(1);
    assertThat(garbage.err()).contains("stdin is neither OTLP/JSON nor OTLP protobuf");
    final CliRun unknown =
        run(new byte[0], "map", "--config", config.toString(), "--exporter", "nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no exporter 'nope'").contains("otlphttp/backend");
  }

  @Test
  void exportersWithADiskQueueTouchNoFileSoMapRunsBesideTheService() throws Exception {
    final Path queue = dir.resolve("queue");
    final Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        dev.genainormalizer.app.testing.TestConfig.builder()
            .exporter(
                "otlphttp",
                "endpoint: http://127.0.0.1:9",
                "sending_queue: { storage: disk, directory: " + queue + " }")
            .yaml());
    final Path file = dir.resolve("chat.json");
    Files.write(file, TestTraces.fixtureBytes("kong-3.13-chat.json"));

    final CliRun fresh = run(null, "map", "--config", config.toString(), file.toString());
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(queue).as("not created").doesNotExist();

    // a running service holds the queue's lock
    try (dev.genainormalizer.exporter.helper.disk.DiskQueue held =
        dev.genainormalizer.exporter.helper.disk.DiskQueue.open(
            queue.resolve("otlphttp"),
            1L << 20,
            dev.genainormalizer.config.QueueConfig.Fsync.NEVER,
            n -> {})) {
      final CliRun beside = run(null, "map", "--config", config.toString(), file.toString());
      assertThat(beside.code()).as(beside.err()).isZero();
      assertThat(
              JSON.readTree(beside.out())
                  .path("pipelines")
                  .path(0)
                  .path("exporters")
                  .path(0)
                  .path("exporter")
                  .asText())
          .isEqualTo("otlphttp");
    }
  }

  @Test
  void loadbalancingShowsItsBackendsAsTargetAndForwardsWhatItGets() throws Exception {
    final Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        dev.genainormalizer.app.testing.TestConfig.builder()
            .exporter(
                "loadbalancing",
                "resolver:",
                "  static: { hostnames: [10.0.0.7:4317, 10.0.0.8:4317] }")
            .yaml());
    final Path file = dir.resolve("chat.json");
    Files.write(file, TestTraces.fixtureBytes("kong-3.13-chat.json"));

    final CliRun result = run(null, "map", "--config", config.toString(), file.toString());
    assertThat(result.code()).as(result.err()).isZero();
    final JsonNode exporter =
        JSON.readTree(result.out()).path("pipelines").path(0).path("exporters").path(0);
    assertThat(exporter.path("target").asText())
        .startsWith("loadbalancing")
        .contains("10.0.0.7:4317")
        .contains("10.0.0.8:4317");
    // no profile and no processor: the request as it came in
    assertThat(exporter.path("requests")).hasSize(1);
    assertThat(
            OtlpJson.parseTraces(
                exporter.path("requests").path(0).toString().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OtlpJson.parseTraces(TestTraces.fixtureBytes("kong-3.13-chat.json")));
  }

  private static CliRun run(byte[] stdin, String... args) {
    return CliRun.of(stdin, args);
  }
}
