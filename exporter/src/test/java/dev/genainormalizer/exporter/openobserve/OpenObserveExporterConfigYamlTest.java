package dev.genainormalizer.exporter.openobserve;

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

class OpenObserveExporterConfigYamlTest {
  private static final OpenObserveExporterFactory FACTORY = new OpenObserveExporterFactory();
  private static final String PASSWORD = "o2-pass-51";
  private static final Map<String, String> ENV = Map.of("O2_PASSWORD", PASSWORD);

  @Test
  void everyKey() throws Exception {
    final OpenObserveExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);

    assertThat(c)
        .isEqualTo(
            new OpenObserveExporterConfig(
                new HttpClientSettings(
                    "https://api.openobserve.ai",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    null,
                    null),
                "acme_org",
                "root@example.com",
                new Secret(PASSWORD),
                "genai",
                true,
                ContentPolicy.DROP));
    assertThat(FACTORY.preset().tracesUri(c))
        .isEqualTo(URI.create("https://api.openobserve.ai/api/acme_org/v1/traces"));
  }

  @Test
  void streamDefaultsToDefault() {
    assertThat(OpenObserveExporterConfig.defaults().stream()).isEqualTo("default");
    assertThat(OpenObserveExporterConfig.defaults().openinferenceKeys()).isFalse();
  }

  @Test
  void refusesAConfigWithoutOrganizationOrCredentials() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_missing_keys.yaml", ENV))
        .hasSize(3)
        .anySatisfy(e -> assertThat(e).startsWith("exporters.openobserve.organization: required"))
        .anySatisfy(e -> assertThat(e).startsWith("exporters.openobserve.username: required"))
        .anySatisfy(e -> assertThat(e).startsWith("exporters.openobserve.password: required"));
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.openobserve.endpoint: already ends in /api/acme_org/v1/traces; we would call"
                + " https://api.openobserve.ai/api/acme_org/v1/traces/api/acme_org/v1/traces");
  }

  @Test
  void refusesAnOrganizationThatIsNotAPathSegment() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_organization.yaml", ENV))
        .anySatisfy(
            e -> assertThat(e).startsWith("exporters.openobserve.organization: 'acme/org'"));
  }

  @Test
  void thePasswordNeverShowsInTheExporterDescription() throws Exception {
    final TraceExporter exporter =
        FACTORY.create(
            Yaml.load(FACTORY, getClass(), "config.yaml", ENV),
            VendorConfigs.settings("openobserve"));
    assertThat(exporter.toString())
        .contains("profile=openobserve", "[REDACTED]")
        .doesNotContain(PASSWORD);
  }
}
