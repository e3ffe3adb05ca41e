package dev.genainormalizer.exporter.dynatrace;

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

class DynatraceExporterConfigYamlTest {
  static final String TOKEN =
      "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
  private static final String PLATFORM = "dt0s16.SAMPLE.abcdef0123456789";
  private static final DynatraceExporterFactory FACTORY = new DynatraceExporterFactory();
  private static final Map<String, String> ENV =
      Map.of("DT_API_TOKEN", TOKEN, "DT_PLATFORM_TOKEN", PLATFORM);

  @Test
  void everyKey() throws Exception {
    final DynatraceExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);

    assertThat(c)
        .isEqualTo(
            new DynatraceExporterConfig(
                new HttpClientSettings(
                    "https://abc12345.live.dynatrace.com",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    null,
                    null),
                new Secret(TOKEN),
                ContentPolicy.DROP));
    assertThat(FACTORY.preset().tracesUri(c))
        .isEqualTo(URI.create("https://abc12345.live.dynatrace.com/api/v2/otlp/v1/traces"));
    assertThat(FACTORY.preset().headers(c).get("authorization").value())
        .isEqualTo("Api-Token " + TOKEN);
  }

  @Test
  void acceptsATokenWrittenWithItsScheme() {
    final DynatraceExporterConfig c =
        new DynatraceExporterConfig(
            new HttpClientSettings(
                "https://abc12345.live.dynatrace.com", null, null, null, null, null, null),
            new Secret("Api-Token " + TOKEN),
            null);

    assertThat(c.validate()).isEmpty();
    assertThat(FACTORY.preset().headers(c).get("authorization").value())
        .isEqualTo("Api-Token " + TOKEN);
  }

  @Test
  void refusesATokenThatIsNotAnApiToken() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_bearer_token.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.dynatrace.api_token: not an Api-Token-style value")
        .doesNotContain(TOKEN.substring(7));
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_platform_token.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.dynatrace.api_token: is a platform token")
        .doesNotContain(PLATFORM);
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_no_token.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.dynatrace.api_token: required");
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.dynatrace.endpoint: already ends in /api/v2/otlp/v1/traces; we would call"
                + " https://abc12345.live.dynatrace.com/api/v2/otlp/v1/traces/api/v2/otlp/v1/traces");
  }

  @Test
  void theTokenNeverShowsInErrorsOrInTheExporterDescription() throws Exception {
    assertThat(VendorConfigs.message(FACTORY, getClass(), "bad_bearer_token.yaml", ENV))
        .doesNotContain(TOKEN.substring(7));
    final TraceExporter exporter =
        FACTORY.create(
            Yaml.load(FACTORY, getClass(), "config.yaml", ENV),
            VendorConfigs.settings("dynatrace"));
    assertThat(exporter.toString())
        .contains("profile=dynatrace", "[REDACTED]", "split at 8000000 bytes")
        .doesNotContain(TOKEN.substring(7));
  }
}
