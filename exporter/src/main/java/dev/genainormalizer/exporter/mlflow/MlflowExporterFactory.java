package dev.genainormalizer.exporter.mlflow;

import dev.genainormalizer.exporter.preset.PresetExporterFactory;

/**
 * {@code mlflow}: OTLP/HTTP protobuf to an MLflow tracking server, as {@link MlflowPreset} says.
 */
public final class MlflowExporterFactory extends PresetExporterFactory<MlflowExporterConfig> {
  public static final String TYPE = "mlflow";

  public MlflowExporterFactory() {
    super(TYPE, new MlflowPreset());
  }
}
