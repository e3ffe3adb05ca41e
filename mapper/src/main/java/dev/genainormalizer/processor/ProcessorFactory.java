package dev.genainormalizer.processor;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentKind;

/** Creates a processor type from its config; registered as a {@code ComponentFactory} service. */
public interface ProcessorFactory<C extends Record> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.PROCESSOR;
  }

  TraceProcessor create(C config, ProcessorSettings settings);
}
