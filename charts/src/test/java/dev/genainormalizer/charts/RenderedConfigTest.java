package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.NormalizerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The config each ci values file renders passes the service's own loader and validation. */
class RenderedConfigTest {
  /** What the ci files' Secrets would hold; every key they reference must be listed here. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "BACKEND_ENDPOINT", "https://otlp.backend.example",
          "BACKEND_TOKEN", "token-from-secret",
          "PHOENIX_API_KEY", "key-from-secret");

  static Stream<Arguments> ciCases() {
    return ChartFixture.ciCases().entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @TempDir Path files;

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciCases")
  void renderedConfigLoadsAndValidates(String name, Path values) {
    final Manifests manifests = ChartFixture.render(values);
    final NormalizerConfig config;
    try {
      // The pod's env (literal entries, Secret keys, the pod IP) and its mounted certificate files.
      config =
          PodFiles.load(
              manifests.podSpec(),
              manifests.container(),
              manifests.configText(),
              SECRETS,
              files,
              "ci/" + name + "-values.yaml (rendered)");
    } catch (ConfigException e) {
      throw new AssertionError(
          "rendered config of ci/" + name + " is invalid:\n" + e.getMessage(), e);
    }
    assertThat(config.service().pipelines()).isNotEmpty();
    assertThat(list(manifests.container(), "args")).contains("--config");
  }
}
