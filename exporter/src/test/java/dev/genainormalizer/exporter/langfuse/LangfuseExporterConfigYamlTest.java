package dev.genainormalizer.exporter.langfuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.exporter.testing.Yaml;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LangfuseExporterConfigYamlTest {
  private static final LangfuseExporterFactory FACTORY = new LangfuseExporterFactory();
  private static final String SECRET = "sk-lf-secret-77ab";
  private static final Map<String, String> ENV = Map.of("LANGFUSE_SECRET_KEY", SECRET);

  @Test
  void everyKey() throws Exception {
    final LangfuseExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);

    assertThat(c)
        .isEqualTo(
            new LangfuseExporterConfig(
                new HttpClientSettings(
                    "https://cloud.langfuse.com",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    null,
                    null),
                "pk-lf-1234",
                new Secret(SECRET),
                "staging",
                "kong-chat",
                false,
                ContentPolicy.DROP));
    assertThat(FACTORY.preset().tracesUri(c))
        .isEqualTo(URI.create("https://cloud.langfuse.com/api/public/otel/v1/traces"));
    assertThat(FACTORY.preset().headers(c).get("authorization").value())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("pk-lf-1234:" + SECRET).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesASecretKeyWithoutPublicKey() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_secret_without_public.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.langfuse.public_key: required: Langfuse authenticates with Basic"
                + " public_key:secret_key and rejects a secret key alone (401)");
  }

  @Test
  void refusesAPublicKeyWithoutSecretKey() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_public_without_secret.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.langfuse.secret_key: required");
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.langfuse.endpoint: already ends in /api/public/otel/v1/traces; we would call"
                + " https://cloud.langfuse.com/api/public/otel/v1/traces/api/public/otel/v1/traces");
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_otel_base.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.langfuse.endpoint: already ends in /api/public/otel; we would call"
                + " https://cloud.langfuse.com/api/public/otel/api/public/otel/v1/traces");
  }

  @Test
  void refusesSwappedKeysWithoutShowingTheSecret() {
    final String message = VendorConfigs.message(FACTORY, getClass(), "bad_swapped_keys.yaml", ENV);

    assertThat(message)
        .contains("public_key: looks like a secret key", "secret_key: looks like a public key")
        .doesNotContain(SECRET);
  }

  @Test
  void theSecretNeverShowsInErrorsOrInTheExporterDescription() throws Exception {
    for (String bad :
        new String[] {"bad_secret_without_public.yaml", "bad_endpoint_has_path.yaml"}) {
      assertThat(VendorConfigs.message(FACTORY, getClass(), bad, ENV)).doesNotContain(SECRET);
    }
    final LangfuseExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);
    final TraceExporter exporter = FACTORY.create(c, VendorConfigs.settings("langfuse"));
    assertThat(exporter.toString())
        .contains("profile=langfuse", "[REDACTED]")
        .doesNotContain(SECRET)
        .doesNotContain(FACTORY.preset().headers(c).get("authorization").value().substring(6));
  }
}
