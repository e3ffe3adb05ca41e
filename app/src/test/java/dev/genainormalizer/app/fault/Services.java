package dev.genainormalizer.app.fault;

import com.linecorp.armeria.client.WebClient;
import dev.genainormalizer.app.NormalizerService;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The service in-process or as its own process, and small waiting helpers. */
final class Services {
  private Services() {}

  /** The real service, in-process, its receiver on an ephemeral port. */
  static final class InProcess implements AutoCloseable {
    final NormalizerService service;

    InProcess(String yaml) {
      final ComponentRegistry registry = ComponentRegistry.loadInstalled();
      final NormalizerConfig config;
      try {
        config = new ConfigLoader(registry).load(yaml, "fault test config", Map.of());
      } catch (ConfigException e) {
        throw new AssertionError("test config is invalid:\n" + e.getMessage(), e);
      }
      service =
          NormalizerService.create(
              config,
              registry,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              Clock.SYSTEM);
      service.start();
    }

    String tracesUrl() {
      return "http://127.0.0.1:"
          + service.receiverAddresses().get(ComponentId.of("otlp")).get("http").getPort()
          + "/v1/traces";
    }

    /** The otlp receiver's gRPC endpoint as a client URI; the config must enable gRPC. */
    String grpcUri() {
      return "http://127.0.0.1:"
          + service.receiverAddresses().get(ComponentId.of("otlp")).get("grpc").getPort();
    }

    String scrape() {
      return service.meterRegistry().scrape();
    }

    @Override
    public void close() {
      service.stop();
    }
  }

  /** The service as an operator runs it: {@code java … Main run --config FILE}. */
  static final class OwnProcess {
    final Process process;
    final Path stderr;
    final int adminPort;

    OwnProcess(Path dir, String name, String yaml, ChildJvm jvm, int adminPort) throws IOException {
      final Path config = dir.resolve(name + ".yaml");
      Files.writeString(config, yaml);
      this.stderr = dir.resolve(name + ".stderr.txt");
      this.adminPort = adminPort;
      final List<String> command =
          jvm.option("-XX:+ExitOnOutOfMemoryError")
              .command(List.of("run", "--config", config.toString()));
      process =
          new ProcessBuilder(command)
              .redirectOutput(dir.resolve(name + ".stdout.txt").toFile())
              .redirectError(stderr.toFile())
              .start();
    }

    void awaitReady() {
      final WebClient client = client();
      await(
          ChildJvm.START_TIMEOUT,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError(
                  "service exited with " + process.exitValue() + "; stderr: " + stderr());
            }
            try {
              return client
                      .get("http://127.0.0.1:" + adminPort + "/readyz")
                      .aggregate()
                      .join()
                      .status()
                      .code()
                  == 200;
            } catch (RuntimeException notYet) {
              return false;
            }
          },
          "/readyz to answer 200");
    }

    String metrics() {
      try {
        return client()
            .get("http://127.0.0.1:" + adminPort + "/metrics")
            .aggregate()
            .join()
            .contentUtf8();
      } catch (RuntimeException e) {
        throw new AssertionError(
            "no /metrics answer; service "
                + (process.isAlive()
                    ? "alive"
                    : "exited with " + process.exitValue() + " (3 = OutOfMemoryError)")
                + "; stderr: "
                + tail(stderr()),
            e);
      }
    }

    /**
     * An overloaded service on a busy machine may take longer than Armeria's default 10 s to
     * answer.
     */
    private static WebClient client() {
      return WebClient.builder().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private static String tail(String text) {
      return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }

    String stderr() {
      try {
        return Files.readString(stderr, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no stderr: " + e + ")";
      }
    }
  }

  /** Polls until {@code condition} holds; fails after {@code timeout}. See {@link Await}. */
  static void await(Duration timeout, BooleanSupplier condition, String what) {
    Await.until(timeout, condition, what);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
