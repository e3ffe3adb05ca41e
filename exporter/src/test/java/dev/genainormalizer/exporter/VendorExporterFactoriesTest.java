package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.Validatable;
import java.util.List;
import org.junit.jupiter.api.Test;

class VendorExporterFactoriesTest {
  private static final List<String> VENDORS =
      List.of("fiddler", "langfuse", "mlflow", "openobserve", "dynatrace", "phoenix");

  @Test
  void everyVendorExporterIsRegisteredAndItsDefaultsAreRefusedUntilConfigured() {
    final ComponentRegistry registry = ComponentRegistry.loadInstalled();

    assertThat(registry.types(ComponentKind.EXPORTER)).containsAll(VENDORS);
    for (String type : VENDORS) {
      final ComponentFactory<?> f = registry.find(ComponentKind.EXPORTER, type).orElseThrow();
      assertThat(f).isInstanceOf(ExporterFactory.class);
      assertThat(f.defaultConfig()).isInstanceOf(f.configType()).isInstanceOf(Validatable.class);
      // every vendor needs at least its endpoint: an empty block never starts an exporter
      assertThat(((Validatable) f.defaultConfig()).validate())
          .as(type)
          .anySatisfy(e -> assertThat(e).startsWith("endpoint: required"));
    }
  }
}
