package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.testing.Yaml;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterConfigYamlTest {
  private static final OtlpHttpExporterFactory FACTORY = new OtlpHttpExporterFactory();

  @Test
  void everyKey() throws Exception {
    assertThat(Yaml.load(FACTORY, getClass(), "config.yaml", Map.of("TOKEN", "t0k3n")))
        .isEqualTo(
            new OtlpHttpExporterConfig(
                new HttpClientSettings(
                    "http://phoenix:6006/base",
                    Map.of(
                        "authorization",
                        new Secret("Bearer t0k3n"),
                        "x-tenant",
                        new Secret("acme")),
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    new RetryConfig(
                        false,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        2,
                        0.1),
                    new QueueConfig(50, 2)),
                "https://collector.example/custom/v1/traces",
                Encoding.JSON,
                null,
                null));
  }

  @Test
  void emptyBlockIsTheDefaultsAndNeedsAnEndpoint() {
    assertThat(FACTORY.defaultConfig()).isEqualTo(OtlpHttpExporterConfig.defaults());
    assertThat(Yaml.errors(FACTORY, getClass(), "default.yaml"))
        .singleElement()
        .asString()
        .contains("endpoint")
        .contains("required");
  }

  @Test
  void badFilesNameTheKey() {
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_no_endpoint.yaml"))
        .singleElement()
        .asString()
        .contains("exporters.otlphttp")
        .contains("endpoint")
        .contains("required");
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_endpoint_scheme.yaml"))
        .singleElement()
        .asString()
        .contains("endpoint")
        .contains("expected: an http:// or https:// URL");
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_encoding.yaml"))
        .singleElement()
        .asString()
        .contains("encoding")
        .contains("thrift");
    assertThat(Yaml.errors(FACTORY, getClass(), "typo_key.yaml"))
        .singleElement()
        .asString()
        .contains("retry_on_failur");
  }
}
