package dev.genainormalizer.exporter.fiddler;

import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/** {@code fiddler}: OTLP/HTTP protobuf to Fiddler, as {@link FiddlerPreset} says. */
public final class FiddlerExporterFactory extends PresetExporterFactory<FiddlerExporterConfig> {
  public static final String TYPE = "fiddler";

  public FiddlerExporterFactory() {
    super(TYPE, new FiddlerPreset());
  }
}
