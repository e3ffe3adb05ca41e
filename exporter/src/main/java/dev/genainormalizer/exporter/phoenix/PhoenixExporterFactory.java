package dev.genainormalizer.exporter.phoenix;

import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/** {@code phoenix}: OTLP/HTTP protobuf to Arize Phoenix, as {@link PhoenixPreset} says. */
public final class PhoenixExporterFactory extends PresetExporterFactory<PhoenixExporterConfig> {
  public static final String TYPE = "phoenix";

  public PhoenixExporterFactory() {
    super(TYPE, new PhoenixPreset());
  }
}
