package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.testing.Yaml;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpExporterConfigYamlTest {
  private static final OtlpExporterFactory FACTORY = new OtlpExporterFactory();

  @Test
  void everyKey() throws Exception {
    final RetryConfig d = RetryConfig.defaults();
    assertThat(Yaml.load(FACTORY, getClass(), "config.yaml", Map.of("TENANT", "acme")))
        .isEqualTo(
            new OtlpExporterConfig(
                "https://tempo.example:4317",
                Compression.NONE,
                Map.of("x-scope-orgid", new Secret("acme")),
                Duration.ofSeconds(2),
                new RetryConfig(
                    true,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    d.multiplier(),
                    d.randomizationFactor()),
                new QueueConfig(10, 1),
                null,
                null,
                null));
  }

  @Test
  void emptyBlockNeedsAnEndpoint() {
    assertThat(FACTORY.defaultConfig()).isEqualTo(OtlpExporterConfig.defaults());
    assertThat(Yaml.errors(FACTORY, getClass(), "default.yaml"))
        .singleElement()
        .asString()
        .contains("exporters.otlp")
        .contains("endpoint")
        .contains("required");
  }

  @Test
  void aPathInTheEndpointIsAnError() {
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_endpoint.yaml"))
        .singleElement()
        .asString()
        .contains("endpoint")
        .contains("no path");
  }
}
