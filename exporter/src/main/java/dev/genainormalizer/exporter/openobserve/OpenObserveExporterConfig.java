package dev.genainormalizer.exporter.openobserve;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.OpenObserveSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code openobserve} exporter's YAML block.
 *
 * @param endpoint the OpenObserve base URL, e.g. {@code https://api.openobserve.ai}; we POST to
 *     {@code {endpoint}/api/{organization}/v1/traces}. Required
 * @param organization the organization (path segment). Required
 * @param username the user's e-mail. Required
 * @param password the user's password or ingestion token. Required
 * @param stream the traces stream, sent as {@code stream-name}; default {@code default}
 * @param openinferenceKeys also write OpenInference keys, for servers before v0.60; default false
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record OpenObserveExporterConfig(
    String endpoint,
    String organization,
    String username,
    Secret password,
    String stream,
    Boolean openinferenceKeys,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String DEFAULT_STREAM = "default";
  public static final String STREAM_HEADER = "stream-name";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public OpenObserveExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    organization = organization == null ? "" : organization.trim();
    username = username == null ? "" : username.trim();
    password = password == null ? new Secret("") : password;
    stream = stream == null || stream.isBlank() ? DEFAULT_STREAM : stream.trim();
    openinferenceKeys = openinferenceKeys == null ? Boolean.FALSE : openinferenceKeys;
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static OpenObserveExporterConfig defaults() {
    return new OpenObserveExporterConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** {@code /api/{organization}/v1/traces}; call only on a config that passed {@link #validate()}. */
  public String tracesPath() {
    return "/api/" + organization + "/v1/traces";
  }

  private boolean organizationValid() {
    return organization.matches("[A-Za-z0-9_.~-]+");
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint,
        organizationValid() ? tracesPath() : "/api/ORGANIZATION/v1/traces", "OpenObserve", errors);
    if (organization.isEmpty()) {
      errors.add("organization: required: OpenObserve takes the organization from the URL path"
          + " /api/{organization}/v1/traces");
    } else if (!organizationValid()) {
      errors.add("organization: '" + organization + "' (expected: the organization id, letters,"
          + " digits, '_', '-', '.' only; it becomes a URL path segment)");
    }
    if (username.isEmpty()) {
      errors.add("username: required: OpenObserve authenticates with Basic username:password");
    } else if (username.indexOf(':') >= 0) {
      errors.add("username: contains ':' (expected: the user's e-mail; Basic auth cannot carry a colon in it)");
    } else {
      VendorEndpoints.checkHeaderSafe("username", username, errors);
    }
    VendorEndpoints.checkSecret("password", password,
        "OpenObserve authenticates with Basic username:password (password or ingestion token)", errors);
    VendorEndpoints.checkHeaderSafe("stream", stream, errors);
    if (timeout.isNegative() || timeout.isZero()) {
      errors.add("timeout: " + timeout + " (expected: > 0)");
    }
    VendorEndpoints.checkTls(tls, endpoint, errors);
    return errors;
  }

  /** The URL batches are POSTed to; call only on a config that passed {@link #validate()}. */
  public URI tracesUri() {
    return VendorEndpoints.tracesUri(endpoint, tracesPath());
  }

  /** {@code Basic base64(username:password)}. */
  public Secret authorization() {
    final String pair = username + ":" + password.value();
    return new Secret("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  /** The {@code openobserve} profile's settings. */
  public OpenObserveSettings settings() {
    return new OpenObserveSettings(openinferenceKeys);
  }
}
