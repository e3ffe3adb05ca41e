package dev.genainormalizer.exporter.mlflow;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.MlflowSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An MLflow tracking server: {@code x-mlflow-experiment-id}, Basic auth when a user is set, after
 * the {@code mlflow} profile. Protobuf, as every preset: MLflow compares the content type exactly
 * with {@code application/x-protobuf}.
 */
public final class MlflowPreset extends VendorPreset<MlflowExporterConfig, MlflowSettings> {
  public static final String TRACES_PATH = "/v1/traces";
  public static final String EXPERIMENT_HEADER = "x-mlflow-experiment-id";

  public MlflowPreset() {
    super(
        "MLflow",
        "MLflow tracking server",
        TRACES_PATH,
        VendorProfiles.MLFLOW,
        MlflowExporterConfig.class,
        MlflowExporterConfig.defaults());
  }

  /** The experiment, and {@code Basic base64(username:password)} when a user is set. */
  @Override
  public Map<String, Secret> headers(MlflowExporterConfig config) {
    final Secret experiment = new Secret(config.experimentId());
    if (config.username().isEmpty()) {
      return Map.of(EXPERIMENT_HEADER, experiment);
    }
    final String pair = config.username() + ":" + config.password().value();
    return Map.of(
        EXPERIMENT_HEADER,
        experiment,
        "authorization",
        new Secret(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  protected MlflowSettings settings(MlflowExporterConfig config) {
    return new MlflowSettings(config.explicitAttributes(), config.rerootOrphans());
  }

  @Override
  protected void check(MlflowExporterConfig config, List<String> errors) {
    if (config.experimentId().isEmpty()) {
      errors.add(
          "experiment_id: required: MLflow rejects spans without the "
              + EXPERIMENT_HEADER
              + " header (HTTP 422), so every batch would be lost");
    } else {
      VendorEndpoints.checkHeaderSafe("experiment_id", config.experimentId(), errors);
    }
    final String username = config.username();
    final String password = config.password().value();
    if (!username.isEmpty() && password.isEmpty()) {
      errors.add("password: required with username (MLflow basic-auth answers 401 without it)");
    } else if (username.isEmpty() && !password.isEmpty()) {
      errors.add("username: required with password (Basic auth sends username:password)");
    } else if (!username.isEmpty()) {
      if (username.indexOf(':') >= 0) {
        errors.add(
            "username: contains ':' (expected: a user name; Basic auth cannot carry a colon in it)");
      }
      VendorEndpoints.checkHeaderSafe("password", password, errors);
    }
  }
}
