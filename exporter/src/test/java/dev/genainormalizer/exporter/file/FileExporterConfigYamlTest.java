package dev.genainormalizer.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.exporter.testing.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileExporterConfigYamlTest {
  private static final FileExporterFactory FACTORY = new FileExporterFactory();

  @Test
  void everyKey() throws Exception {
    assertThat(Yaml.load(FACTORY, getClass(), "config.yaml", Map.of()))
        .isEqualTo(new FileExporterConfig("/var/log/genai-normalizer/spans.jsonl"));
  }

  @Test
  void emptyBlockNeedsAPath() {
    assertThat(Yaml.errors(FACTORY, getClass(), "default.yaml"))
        .singleElement()
        .asString()
        .contains("exporters.file")
        .contains("path")
        .contains("required");
  }
}
