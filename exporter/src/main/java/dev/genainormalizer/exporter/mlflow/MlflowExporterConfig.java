package dev.genainormalizer.exporter.mlflow;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.util.List;

/**
 * The {@code mlflow} exporter's YAML block.
 *
 * @param http {@code endpoint} (the MLflow tracking server's URL, 3.6+ with a SQL backend store; we
 *     POST to {@code {endpoint}/v1/traces}; required), {@code headers}, {@code compression}, {@code
 *     timeout}, {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param experimentId the experiment the traces go to, sent as {@code x-mlflow-experiment-id}.
 *     Required
 * @param username user for a server run with {@code --app-name basic-auth}; default none
 * @param password that user's password; required with {@code username}
 * @param explicitAttributes write {@code mlflow.spanType} and {@code mlflow.chat.tokenUsage};
 *     default true
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record MlflowExporterConfig(
    @Squash HttpClientSettings http,
    String experimentId,
    String username,
    Secret password,
    Boolean explicitAttributes,
    Boolean rerootOrphans,
    ContentPolicy content)
    implements VendorConfig {

  public MlflowExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    experimentId = experimentId == null ? "" : experimentId.trim();
    username = username == null ? "" : username.trim();
    password = password == null ? new Secret("") : password;
    explicitAttributes = explicitAttributes == null ? Boolean.TRUE : explicitAttributes;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static MlflowExporterConfig defaults() {
    return new MlflowExporterConfig(null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    return new MlflowPreset().validate(this);
  }
}
