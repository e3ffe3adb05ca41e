package dev.genainormalizer.processor.kong;

import dev.genainormalizer.processor.ProcessorFactory;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;

/** The {@code kong} processor: drops Kong's infrastructure spans and re-parents what is kept. */
public final class KongProcessorFactory implements ProcessorFactory<KongProcessorConfig> {
  public static final String TYPE = "kong";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<KongProcessorConfig> configType() {
    return KongProcessorConfig.class;
  }

  @Override
  public KongProcessorConfig defaultConfig() {
    return KongProcessorConfig.defaults();
  }

  @Override
  public TraceProcessor create(KongProcessorConfig config, ProcessorSettings settings) {
    return new KongProcessor(config, settings);
  }
}
