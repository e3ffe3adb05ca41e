package dev.genainormalizer.receiver;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentKind;

/** Creates a receiver type from its config; registered as a {@code ComponentFactory} service. */
public interface ReceiverFactory<C extends Record> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.RECEIVER;
  }

  Receiver create(C config, ReceiverSettings settings);
}
