package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/** {@code dynatrace}: OTLP/HTTP protobuf to Dynatrace, as {@link DynatracePreset} says. */
public final class DynatraceExporterFactory extends PresetExporterFactory<DynatraceExporterConfig> {
  public static final String TYPE = "dynatrace";

  /** Spans dropped because a single span is larger than the backend's request limit. */
  public static final String OVERSIZED_SPANS = DynatracePreset.OVERSIZED_SPANS;

  public DynatraceExporterFactory() {
    super(TYPE, new DynatracePreset());
  }

  /** With a smaller request limit than Dynatrace's, so that tests split small batches. */
  TraceExporter create(
      DynatraceExporterConfig config, ExporterSettings settings, int maxRequestBytes) {
    return create(config, settings, new DynatracePreset(maxRequestBytes));
  }
}
