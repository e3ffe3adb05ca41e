package dev.genainormalizer.exporter.openobserve;

import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/** {@code openobserve}: OTLP/HTTP protobuf to OpenObserve, as {@link OpenObservePreset} says. */
public final class OpenObserveExporterFactory
    extends PresetExporterFactory<OpenObserveExporterConfig> {
  public static final String TYPE = "openobserve";

  public OpenObserveExporterFactory() {
    super(TYPE, new OpenObservePreset());
  }
}
