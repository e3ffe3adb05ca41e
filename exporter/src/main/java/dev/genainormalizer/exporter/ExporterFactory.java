package dev.genainormalizer.exporter;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentKind;

/** Creates an exporter type from its config; registered as a {@code ComponentFactory} service. */
public interface ExporterFactory<C extends Record> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.EXPORTER;
  }

  TraceExporter create(C config, ExporterSettings settings);
}
