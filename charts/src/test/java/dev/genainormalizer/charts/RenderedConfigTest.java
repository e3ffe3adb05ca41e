package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
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
    return ChartFixture.ciCases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciCases")
  void renderedConfigLoadsAndValidates(String name, Path values) {
    final Manifests manifests = ChartFixture.render(values);
    final Map<String, String> env = new HashMap<>(SECRETS);
    // The pod's literal env entries, then the downward-API pod IP.
    for (Map<String, Object> entry : Manifests.<Map<String, Object>>list(manifests.container(), "env")) {
      if (entry.get("value") instanceof String value) {
        env.put((String) entry.get("name"), value);
      }
    }
    env.put("MY_POD_IP", "127.0.0.1");
    final NormalizerConfig config;
    try {
      config =
          new ConfigLoader(ComponentRegistry.loadInstalled())
              .load(manifests.configText(), "ci/" + name + "-values.yaml (rendered)", env);
    } catch (ConfigException e) {
      throw new AssertionError("rendered config of ci/" + name + " is invalid:\n" + e.getMessage(), e);
    }
    assertThat(config.service().pipelines()).isNotEmpty();
    assertThat(list(manifests.container(), "args")).contains("--config");
  }
}
