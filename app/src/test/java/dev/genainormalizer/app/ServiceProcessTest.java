package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.testing.TestTraces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The service as its own process, as an operator runs it: the CLI, signals and exit codes. */
class ServiceProcessTest {
  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  @Test
  void runsAConfigServesReadinessForwardsSpansAndExitsZeroOnSigterm() throws Exception {
    final int http = ports.next();
    final int admin = ports.next();
    try (OtlpSink sink = new OtlpSink()) {
      final Path config = dir.resolve("config.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "receivers:",
              "  otlp:",
              "    protocols:",
              "      http: { endpoint: 127.0.0.1:" + http + " }",
              "      grpc: { enabled: false }",
              "exporters:",
              "  otlphttp:",
              "    endpoint: ${env:SINK_URL}",
              "service:",
              "  pipelines:",
              "    traces:",
              "      receivers: [otlp]",
              "      exporters: [otlphttp]",
              "  telemetry:",
              "    admin: { endpoint: 127.0.0.1:" + admin + " }",
              ""));
      final Process process =
          start(List.of("run", "--config", config.toString()), "SINK_URL", sink.httpBase());
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
              assertThat(process.isAlive())
                  .as("service process alive; stderr: " + stderr())
                  .isTrue();
              return false;
            }
          },
          "/readyz to answer 200");
      final int status =
          client
              .execute(
                  RequestHeaders.builder(HttpMethod.POST, "http://127.0.0.1:" + http + "/v1/traces")
                      .contentType(MediaType.PROTOBUF)
                      .build(),
                  HttpData.wrap(TestTraces.fixture("kong-3.13-chat.json").toByteArray()))
              .aggregate()
              .join()
              .status()
              .code();
      assertThat(status).isEqualTo(200);
      OtlpSink.await(Await.TIMEOUT, () -> sink.spanCount() == 9, "9 spans at the sink");
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(process.exitValue()).as("exit code; stderr: " + stderr()).isZero();
      assertThat(stderr()).contains("genai-normalizer ready").contains("stopped");
    }
  }

  @Test
  void validateExitsOneAndPrintsEveryErrorForABadConfig() throws Exception {
    final Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp: {}",
            "exporters:",
            "  otlphttp/a:",
            "    endpiont: http://x",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      exporters: [otlphttp/a, otlphttp/b]",
            ""));
    final Process process = start(List.of("validate", "--config", config.toString()));
    assertThat(process.waitFor(ChildJvm.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(stderr())
        .contains("exporters.otlphttp/a.endpiont")
        .contains("line 5")
        .contains("otlphttp/b");
  }

  @Test
  void validateAcceptsTheBuiltInDefault() throws Exception {
    final Process process = start(List.of("validate"));
    assertThat(process.waitFor(ChildJvm.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stderr()).isZero();
    assertThat(Files.readString(dir.resolve("stdout.txt")))
        .contains("built-in default config is valid");
  }

  private Process start(List<String> args, String... env) throws IOException {
    final ProcessBuilder builder =
        new ProcessBuilder(ChildJvm.withHeap("256m").quickStart().command(args))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile());
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return builder.start();
  }

  private String stderr() {
    try {
      return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
