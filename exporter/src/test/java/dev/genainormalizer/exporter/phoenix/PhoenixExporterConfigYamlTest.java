package dev.genainormalizer.exporter.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.exporter.testing.Yaml;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhoenixExporterConfigYamlTest {
  private static final PhoenixExporterFactory FACTORY = new PhoenixExporterFactory();
  private static final String KEY = "phx-key-18";
  private static final Map<String, String> ENV = Map.of("PHOENIX_API_KEY", KEY);

  @Test
  void everyKey() throws Exception {
    assertThat(Yaml.load(FACTORY, getClass(), "config.yaml", ENV))
        .isEqualTo(
            new PhoenixExporterConfig(
                new HttpClientSettings(
                    "http://phoenix:6006",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    null,
                    null),
                "kong",
                new Secret(KEY),
                ContentPolicy.DROP));
  }

  @Test
  void minimalConfigTakesTheDefaults() throws Exception {
    final PhoenixExporterConfig c = Yaml.load(FACTORY, getClass(), "minimal.yaml", ENV);

    assertThat(c.project()).isEqualTo("default");
    assertThat(c.apiKey().isEmpty()).isTrue();
    assertThat(FACTORY.preset().tracesUri(c))
        .isEqualTo(URI.create("http://phoenix:6006/v1/traces"));
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.phoenix.endpoint: already ends in /v1/traces; we would call"
                + " http://phoenix:6006/v1/traces/v1/traces");
  }

  @Test
  void theKeyNeverShowsInTheExporterDescription() throws Exception {
    final TraceExporter exporter =
        FACTORY.create(
            Yaml.load(FACTORY, getClass(), "config.yaml", ENV), VendorConfigs.settings("phoenix"));
    assertThat(exporter.toString()).contains("profile=phoenix", "[REDACTED]").doesNotContain(KEY);
  }
}
