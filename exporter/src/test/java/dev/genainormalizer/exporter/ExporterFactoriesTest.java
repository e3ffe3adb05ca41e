package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.Validatable;
import org.junit.jupiter.api.Test;

class ExporterFactoriesTest {
  @Test
  void everyExporterTypeIsRegistered() {
    final ComponentRegistry registry = ComponentRegistry.loadInstalled();

    assertThat(registry.types(ComponentKind.EXPORTER))
        .contains("otlp", "otlphttp", "debug", "file");
    for (String type : new String[] {"otlp", "otlphttp", "debug", "file"}) {
      final ComponentFactory<?> f = registry.find(ComponentKind.EXPORTER, type).orElseThrow();
      assertThat(f).isInstanceOf(ExporterFactory.class);
      assertThat(f.defaultConfig()).isInstanceOf(f.configType()).isInstanceOf(Validatable.class);
    }
  }
}
