package dev.genainormalizer.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.exporter.testing.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebugExporterConfigYamlTest {
  private static final DebugExporterFactory FACTORY = new DebugExporterFactory();

  @Test
  void everyKey() throws Exception {
    assertThat(Yaml.load(FACTORY, getClass(), "config.yaml", Map.of()))
        .isEqualTo(new DebugExporterConfig(Verbosity.BASIC, 40));
  }

  @Test
  void emptyBlockIsTheDefaults() throws Exception {
    assertThat(Yaml.load(FACTORY, getClass(), "default.yaml", Map.of()))
        .isEqualTo(DebugExporterConfig.defaults());
  }

  @Test
  void maxValueLengthMustBePositive() {
    assertThat(Yaml.errors(FACTORY, getClass(), "bad_max_value_length.yaml"))
        .singleElement()
        .asString()
        .contains("max_value_length")
        .contains(">= 1");
  }
}
