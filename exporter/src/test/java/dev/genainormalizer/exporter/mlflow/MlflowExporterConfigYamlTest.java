package dev.genainormalizer.exporter.mlflow;

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

class MlflowExporterConfigYamlTest {
  private static final MlflowExporterFactory FACTORY = new MlflowExporterFactory();
  private static final String PASSWORD = "mlflow-pass-93";
  private static final Map<String, String> ENV = Map.of("MLFLOW_PASSWORD", PASSWORD);

  @Test
  void everyKey() throws Exception {
    final MlflowExporterConfig c = Yaml.load(FACTORY, getClass(), "config.yaml", ENV);

    assertThat(c)
        .isEqualTo(
            new MlflowExporterConfig(
                new HttpClientSettings(
                    "http://mlflow:5000",
                    null,
                    Compression.NONE,
                    Duration.ofSeconds(10),
                    null,
                    null,
                    null),
                "42",
                "alice",
                new Secret(PASSWORD),
                false,
                false,
                ContentPolicy.DROP));
    assertThat(FACTORY.preset().tracesUri(c)).isEqualTo(URI.create("http://mlflow:5000/v1/traces"));
    assertThat(FACTORY.preset().headers(c)).containsKey("authorization");
  }

  @Test
  void refusesAConfigWithoutExperimentId() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_no_experiment_id.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.mlflow.experiment_id: required: MLflow rejects spans without the"
                + " x-mlflow-experiment-id header");
  }

  @Test
  void refusesAUserWithoutPassword() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_username_without_password.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith("exporters.mlflow.password: required with username");
  }

  @Test
  void refusesAnEndpointThatAlreadyHasTheVendorPath() {
    assertThat(VendorConfigs.errors(FACTORY, getClass(), "bad_endpoint_has_path.yaml", ENV))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.mlflow.endpoint: already ends in /v1/traces; we would call"
                + " http://mlflow:5000/v1/traces/v1/traces");
  }

  @Test
  void thePasswordNeverShowsInTheExporterDescription() throws Exception {
    final TraceExporter exporter =
        FACTORY.create(
            Yaml.load(FACTORY, getClass(), "config.yaml", ENV), VendorConfigs.settings("mlflow"));
    assertThat(exporter.toString())
        .contains("profile=mlflow", "[REDACTED]")
        .doesNotContain(PASSWORD);
  }
}
