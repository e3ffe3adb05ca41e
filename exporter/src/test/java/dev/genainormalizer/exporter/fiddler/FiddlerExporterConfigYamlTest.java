package dev.genainormalizer.exporter.fiddler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
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

class FiddlerExporterConfigYamlTest {
  private static final FiddlerExporterFactory FACTORY = new FiddlerExporterFactory();
  private static final String KEY = "fdl-secret-4f1c9a";
  private static final Map<String, String> ENV = Map.of("FIDDLER_API_KEY", KEY);

  @Test
  void everyKey() throws Exception {
    final FiddlerExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);

    assertThat(c)
        .isEqualTo(
            new FiddlerExporterConfig(
                new HttpClientSettings(
                    "https://acme.fiddler.ai/",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    new RetryConfig(
                        false,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(300),
                        1.5,
                        0.5),
                    new QueueConfig(50, 2)),
                new Secret(KEY),
                "0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a",
                "support-bot",
                false,
                ContentPolicy.DROP));
    assertThat(FACTORY.preset().tracesUri(c))
        .isEqualTo(URI.create("https://acme.fiddler.ai/v1/traces"));
  }

  @Test
  void minimalConfigTakesTheDefaults() throws Exception {
    final FiddlerExporterConfig c = Yaml.load(FACTORY, getClass(), "minimal.yaml", ENV);

    assertThat(c.agentName()).isEqualTo("<UNKNOWN_AGENT>");
    assertThat(c.rerootOrphans()).isTrue();
    assertThat(c.content()).isEqualTo(ContentPolicy.KEEP);
    assertThat(c.http().compression()).isEqualTo(Compression.GZIP);
    assertThat(c.http().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.http().retryOnFailure()).isEqualTo(RetryConfig.defaults());
    assertThat(c.http().sendingQueue()).isEqualTo(QueueConfig.defaults());
  }

  @Test
  void refusesAConfigWithoutApplicationId() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_no_application_id.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.fiddler.application_id: required: Fiddler drops spans without an application id");
  }

  @Test
  void refusesAnApplicationIdThatIsNotAUuid() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_application_id.yaml", ENV))
        .singleElement()
        .asString()
        .contains("exporters.fiddler.application_id: 'my-app' (expected: the application's UUID");
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .contains(
            "exporters.fiddler.endpoint: already ends in /v1/traces; we would call"
                + " https://acme.fiddler.ai/v1/traces/v1/traces");
  }

  @Test
  void refusesAConfigWithoutApiKey() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_no_api_key.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.fiddler.api_key: required");
  }

  @Test
  void refusesAnUnknownContentPolicy() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_content.yaml", ENV))
        .singleElement()
        .asString()
        .contains("content")
        .contains("redact");
  }

  @Test
  void theKeyNeverShowsInErrorsOrInTheExporterDescription() throws Exception {
    for (String bad :
        new String[] {
          "bad_no_application_id.yaml", "bad_application_id.yaml", "bad_endpoint_has_path.yaml"
        }) {
      assertThat(VendorConfigs.message(FACTORY, getClass(), bad, ENV)).doesNotContain(KEY);
    }
    final TraceExporter exporter =
        FACTORY.create(
            Yaml.load(FACTORY, getClass(), "minimal.yaml", ENV), VendorConfigs.settings("fiddler"));
    assertThat(exporter.toString())
        .contains("https://acme.fiddler.ai/v1/traces", "profile=fiddler", "[REDACTED]")
        .doesNotContain(KEY)
        .doesNotContain("0b9d6e4e"); // headers are all shown redacted
  }
}
