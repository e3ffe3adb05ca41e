package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code service.telemetry.logs.format: json}: every stderr line is one JSON object. */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  @Test
  void layoutEscapesEverythingIntoOneLine() throws Exception {
    final LoggingEvent event =
        new LoggingEvent(
            "x",
            new LoggerContext().getLogger("a.B"),
            Level.WARN,
            "exporter {}: \"quoted\"\nsecond line\t\u0001",
            new IllegalStateException("boom"),
            new Object[] {"otlp/x"});
    final String line = new JsonLogLayout().doLayout(event);
    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    final JsonNode json = JSON.readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("a.B");
    assertThat(json.path("message").asText())
        .isEqualTo("exporter otlp/x: \"quoted\"\nsecond line\t\u0001");
    assertThat(json.path("exception").asText()).contains("IllegalStateException: boom");
    assertThat(json.path("time").asText()).isNotEmpty();
  }

  @Test
  void theServiceLogsJsonLinesWhenConfigured() throws Exception {
    final int admin = ports.next();
    final Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      http: { endpoint: 127.0.0.1:0 }",
            "      grpc: { enabled: false }",
            "exporters:",
            "  debug: {}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      exporters: [debug]",
            "  telemetry:",
            "    admin: { endpoint: 127.0.0.1:" + admin + " }",
            "    logs: { format: json }",
            ""));
    final Process process =
        new ProcessBuilder(
                ChildJvm.withHeap("256m")
                    .quickStart()
                    .command(List.of("run", "--config", config.toString())))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      final WebClient client = WebClient.of();
      OtlpSink.await(
          ChildJvm.START_TIMEOUT,
          () -> {
            try {
              return client
                      .get("http://127.0.0.1:" + admin + "/readyz")
                      .aggregate()
                      .join()
                      .status()
                      .code()
                  == 200;
            } catch (RuntimeException notYet) {
              assertThat(process.isAlive()).as("alive; stderr: " + stderr()).isTrue();
              return false;
            }
          },
          "/readyz");
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    final List<String> lines = stderr().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      final JsonNode json = JSON.readTree(line);
      assertThat(json.path("level").asText()).as(line).isNotEmpty();
    }
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(JSON.readTree(l).path("message").asText())
                    .startsWith("genai-normalizer ready"));
  }

  private String stderr() {
    try {
      return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
