package dev.genainormalizer.exporter.langfuse;

import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/**
 * {@code langfuse}: OTLP/HTTP protobuf to Langfuse's OTel endpoint, as {@link LangfusePreset} says.
 */
public final class LangfuseExporterFactory extends PresetExporterFactory<LangfuseExporterConfig> {
  public static final String TYPE = "langfuse";

  public LangfuseExporterFactory() {
    super(TYPE, new LangfusePreset());
  }
}
