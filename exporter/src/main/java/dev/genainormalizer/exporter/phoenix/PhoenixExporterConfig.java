package dev.genainormalizer.exporter.phoenix;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.OpenInferenceSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code phoenix} exporter's YAML block.
 *
 * @param endpoint the Phoenix server, e.g. {@code http://phoenix:6006}; we POST to {@code
 *     {endpoint}/v1/traces}. Required
 * @param project the resource attribute {@code openinference.project.name}; default {@code default}
 * @param apiKey sent as {@code Authorization: Bearer} when set (Phoenix with auth enabled); default
 *     none
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record PhoenixExporterConfig(
    String endpoint,
    String project,
    Secret apiKey,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String TRACES_PATH = "/v1/traces";
  public static final String DEFAULT_PROJECT = "default";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public PhoenixExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    project = project == null || project.isBlank() ? DEFAULT_PROJECT : project.trim();
    apiKey = apiKey == null ? new Secret("") : apiKey;
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static PhoenixExporterConfig defaults() {
    return new PhoenixExporterConfig(null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint, TRACES_PATH, "Phoenix server", errors);
    if (!apiKey.value().isEmpty()) {
      VendorEndpoints.checkHeaderSafe("api_key", apiKey.value(), errors);
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

  /** The {@code phoenix} profile's settings. */
  public OpenInferenceSettings settings() {
    return new OpenInferenceSettings(project);
  }
}
