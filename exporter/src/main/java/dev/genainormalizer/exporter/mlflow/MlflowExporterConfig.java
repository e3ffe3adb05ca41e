package dev.genainormalizer.exporter.mlflow;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.MlflowSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code mlflow} exporter's YAML block.
 *
 * @param endpoint the MLflow tracking server's URL (3.6+, SQL backend store); we POST to {@code
 *     {endpoint}/v1/traces}. Required
 * @param experimentId the experiment the traces go to, sent as {@code x-mlflow-experiment-id}.
 *     Required
 * @param username user for a server run with {@code --app-name basic-auth}; default none
 * @param password that user's password; required with {@code username}
 * @param explicitAttributes write {@code mlflow.spanType} and {@code mlflow.chat.tokenUsage}; default
 *     true
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record MlflowExporterConfig(
    String endpoint,
    String experimentId,
    String username,
    Secret password,
    Boolean explicitAttributes,
    Boolean rerootOrphans,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String TRACES_PATH = "/v1/traces";
  public static final String EXPERIMENT_HEADER = "x-mlflow-experiment-id";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public MlflowExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    experimentId = experimentId == null ? "" : experimentId.trim();
    username = username == null ? "" : username.trim();
    password = password == null ? new Secret("") : password;
    explicitAttributes = explicitAttributes == null ? Boolean.TRUE : explicitAttributes;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static MlflowExporterConfig defaults() {
    return new MlflowExporterConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint, TRACES_PATH, "MLflow tracking server", errors);
    if (experimentId.isEmpty()) {
      errors.add("experiment_id: required: MLflow rejects spans without the " + EXPERIMENT_HEADER
          + " header (HTTP 422), so every batch would be lost");
    } else {
      VendorEndpoints.checkHeaderSafe("experiment_id", experimentId, errors);
    }
    if (!username.isEmpty() && password.value().isEmpty()) {
      errors.add("password: required with username (MLflow basic-auth answers 401 without it)");
    } else if (username.isEmpty() && !password.value().isEmpty()) {
      errors.add("username: required with password (Basic auth sends username:password)");
    } else if (!username.isEmpty()) {
      if (username.indexOf(':') >= 0) {
        errors.add("username: contains ':' (expected: a user name; Basic auth cannot carry a colon in it)");
      }
      VendorEndpoints.checkHeaderSafe("password", password.value(), errors);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      errors.add("timeout: " + timeout + " (expected: > 0)");
    }
    VendorEndpoints.checkTls(tls, endpoint, errors);
    return errors;
  }

  /** The URL batches are POSTed to; call only on a config that passed {@link #validate()}. */
  public URI tracesUri() {
    return VendorEndpoints.tracesUri(endpoint, TRACES_PATH);
  }

  /** {@code Basic base64(username:password)} when a user is set. */
  public Optional<Secret> authorization() {
    if (username.isEmpty()) {
      return Optional.empty();
    }
    final String pair = username + ":" + password.value();
    return Optional.of(new Secret(
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
  }

  /** The {@code mlflow} profile's settings. */
  public MlflowSettings settings() {
    return new MlflowSettings(explicitAttributes, rerootOrphans);
  }
}
