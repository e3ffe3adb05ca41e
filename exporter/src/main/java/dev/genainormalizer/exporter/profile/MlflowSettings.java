package dev.genainormalizer.exporter.profile;

/**
 * Settings of the {@code mlflow} profile.
 *
 * @param explicitAttributes write {@code mlflow.spanType} and {@code mlflow.chat.tokenUsage} rather
 *     than leave them to MLflow's translation at store time; default true
 * @param rerootOrphans clear the parent of spans whose parent is not in the request: MLflow counts
 *     a trace complete only once a parentless span arrives; default true. Turn off when the caller
 *     also sends its own spans to the same experiment.
 */
public record MlflowSettings(Boolean explicitAttributes, Boolean rerootOrphans) {
  public MlflowSettings {
    explicitAttributes = explicitAttributes == null ? Boolean.TRUE : explicitAttributes;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
  }

  public static MlflowSettings defaults() {
    return new MlflowSettings(true, true);
  }
}
