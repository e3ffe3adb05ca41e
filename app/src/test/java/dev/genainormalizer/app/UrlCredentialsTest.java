package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.TestTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Credentials in URLs ({@code user:pass@}, {@code ?api_key=}, {@code ?token=}) never reach a log
 * line, {@code last_error} or a validation message; {@code user:pass@} in an endpoint is refused at
 * {@code validate}, since it would not be sent.
 */
class UrlCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String QUERY_SECRET = "sk-query-secret-5521";
  private static final String METRICS_SECRET = "sk-metrics-secret-7730";
  private static final String PASSWORD = "hunter2-pw-9";

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @TempDir Path dir;

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  @Test
  void exporterStartLineLastErrorAndFailureWarningsMaskTheQuerySecret() throws Exception {
    try (OtlpSink sink = new OtlpSink();
        RunningService service =
            new RunningService(
                TestConfig.builder()
                    .exporter(
                        "otlphttp/backend",
                        "traces_endpoint: "
                            + sink.httpBase()
                            + "/v1/traces?api_key="
                            + QUERY_SECRET
                            + "&tenant=acme",
                        "retry_on_failure: { enabled: false }")
                    .yaml())) {
      sink.failNext(1, 500);
      send(service, "kong-3.13-chat.json");
      OtlpSink.await(WAIT, () -> !lastError(service).isEmpty(), "last_error on the status page");

      assertThat(lastError(service))
          .contains("HTTP 500")
          .contains("api_key=***&tenant=acme")
          .doesNotContain(QUERY_SECRET);
      assertThat(messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("exporter otlphttp/backend started")
                      .contains("/v1/traces?api_key=***&tenant=acme"));
      assertThat(messages())
          .anySatisfy(m -> assertThat(m).contains("HTTP 500").contains("api_key=***"));
      assertThat(messages()).allSatisfy(m -> assertThat(m).doesNotContain(QUERY_SECRET));
    }
  }

  @Test
  void metricsPushStartLineAndRepeatedWarningsMaskTheQuerySecret() {
    try (OtlpSink sink = new OtlpSink();
        RunningService service =
            new RunningService(
                TestConfig.builder()
                    .exporter("debug")
                    .yaml()
                    .replace(
                        "  telemetry:\n",
                        String.join(
                            "\n",
                            "  telemetry:",
                            "    metrics:",
                            "      otlp:",
                            // the sink has no /v1/metrics route: every push fails and Micrometer
                            // warns
                            "        endpoint: "
                                + sink.httpBase()
                                + "/v1/metrics?token="
                                + METRICS_SECRET,
                            "        interval: 1s",
                            "")))) {
      OtlpSink.await(
          WAIT,
          () ->
              messages().stream().filter(m -> m.contains("Failed to publish metrics")).count() >= 2,
          "two failed metrics pushes logged");
      assertThat(messages())
          .anySatisfy(m -> assertThat(m).contains("Publishing metrics").contains("token=***"));
      assertThat(messages())
          .anySatisfy(
              m -> assertThat(m).contains("Failed to publish metrics").contains("token=***"));
      assertThat(messages()).allSatisfy(m -> assertThat(m).doesNotContain(METRICS_SECRET));
      assertThat(service.service.adminAddress()).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "otlphttp | endpoint: http://alice:PW@collector.example:4318"
            + " | exporters.otlphttp.endpoint: 'http://***@collector.example:4318' carries user:password@",
        "otlphttp traces_endpoint | traces_endpoint: https://alice:PW@collector.example/v1/traces"
            + " | exporters.otlphttp.traces_endpoint: 'https://***@collector.example/v1/traces' carries user:password@",
        "otlp | endpoint: https://alice:PW@collector.example:4317"
            + " | exporters.otlp.endpoint: 'https://***@collector.example:4317' carries user:password@",
        "fiddler | endpoint: https://alice:PW@acme.fiddler.ai"
            + " | exporters.fiddler.endpoint: 'https://***@acme.fiddler.ai' carries user:password@",
      })
  void validateRefusesUserInfoInAnExporterEndpointWithoutPrintingIt(
      String name, String endpointLine, String expected) throws Exception {
    final String type = name.split(" ")[0];
    final String block =
        type.equals("fiddler")
            ? "  fiddler:\n    "
                + endpointLine.replace("PW", PASSWORD)
                + "\n    api_key: k\n    application_id: 0b0c0d0e-0000-4000-8000-000000000001"
            : "  " + type + ":\n    " + endpointLine.replace("PW", PASSWORD);
    final String yaml =
        String.join(
            "\n",
            "receivers:",
            "  otlp: {}",
            "exporters:",
            block,
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      exporters: [" + type + "]",
            "");
    final CliRun result = validate(yaml);
    assertThat(result.code()).as(result.out() + result.err()).isNotZero();
    assertThat(result.err())
        .contains(expected)
        .contains("which would not be sent")
        .doesNotContain(PASSWORD);
    assertThat(result.out()).doesNotContain(PASSWORD);
  }

  @Test
  void validateRefusesUserInfoInTheMetricsPushEndpoint() throws Exception {
    final String yaml =
        TestConfig.builder()
            .exporter("debug")
            .yaml()
            .replace(
                "  telemetry:\n",
                String.join(
                    "\n",
                    "  telemetry:",
                    "    metrics:",
                    "      otlp:",
                    "        endpoint: https://alice:" + PASSWORD + "@metrics.example/v1/metrics",
                    ""));
    final CliRun result = validate(yaml);
    assertThat(result.code()).isNotZero();
    assertThat(result.err())
        .contains(
            "service.telemetry.metrics.otlp.endpoint: 'https://***@metrics.example/v1/metrics' carries"
                + " user:password@")
        .contains("headers (authorization: Basic")
        .doesNotContain(PASSWORD);
  }

  private CliRun validate(String yaml) throws Exception {
    final Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml);
    return CliRun.of(null, "validate", "--config", config.toString());
  }

  /** Every captured line with its exception chain's messages, as a log file would hold them. */
  private List<String> messages() {
    return List.copyOf(logs.list).stream()
        .map(
            e -> {
              final StringBuilder line = new StringBuilder(e.getFormattedMessage());
              for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
              }
              return line.toString();
            })
        .toList();
  }

  private static String lastError(RunningService service) {
    final String json =
        WebClient.of().get(service.adminUrl("/status.json")).aggregate().join().contentUtf8();
    try {
      final JsonNode status = new ObjectMapper().readTree(json);
      return status.path("exporters").path(0).path("last_error").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void send(RunningService service, String fixture) {
    final int status =
        WebClient.of()
            .execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.PROTOBUF)
                    .build(),
                HttpData.wrap(TestTraces.fixture(fixture).toByteArray()))
            .aggregate()
            .join()
            .status()
            .code();
    assertThat(status).isEqualTo(200);
  }
}
