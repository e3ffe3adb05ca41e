package dev.genainormalizer.processor.genai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import org.junit.jupiter.api.Test;

class GenAiProcessorFactoryTest {

  @Test
  void isFoundAsTheGenaiProcessor() {
    assertThat(ComponentRegistry.loadInstalled().find(ComponentKind.PROCESSOR, "genai"))
        .get()
        .isInstanceOf(GenAiProcessorFactory.class);
    final GenAiProcessorFactory factory = new GenAiProcessorFactory();
    assertThat(factory.kind()).isEqualTo(ComponentKind.PROCESSOR);
    assertThat(factory.type()).isEqualTo("genai");
    assertThat(factory.configType()).isEqualTo(GenAiProcessorConfig.class);
  }
}
