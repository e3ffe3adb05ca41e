package dev.genainormalizer.exporter.confighttp;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings every OTLP/HTTP exporter takes, as the Collector's {@code confighttp}: declared,
 * defaulted and checked here once, and embedded with {@link Squash} so that the keys sit directly
 * in each exporter's YAML block.
 *
 * @param endpoint the backend's base URL; how the traces path is appended, and whether it is
 *     required, is the embedding exporter's rule
 * @param headers added to every request; values are secrets (never logged)
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt, until the whole response is read; default 30s
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's trust
 *     store
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 */
public record HttpClientSettings(
    String endpoint,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    TlsClientConfig tls,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public HttpClientSettings {
    endpoint = endpoint == null ? "" : endpoint.trim();
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
  }

  public static HttpClientSettings defaults() {
    return new HttpClientSettings(null, null, null, null, null, null, null);
  }

  /** {@code settings}, or the defaults for a config built without them. */
  public static HttpClientSettings orDefaults(HttpClientSettings settings) {
    return settings == null ? defaults() : settings;
  }

  /**
   * Problems with the timeout and the headers, as YAML-key messages that never quote a header
   * value. Not {@code Validatable}: the embedding config adds these to its own {@code validate()},
   * which also checks {@link #endpoint} by its own rule and calls {@link #checkTls}.
   */
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (timeout.isNegative() || timeout.isZero()) {
      errors.add("timeout: " + timeout + " (expected: > 0)");
    }
    headers.forEach(
        (name, value) -> {
          if (!isToken(name)) {
            errors.add("headers: '" + name + "' (expected: an HTTP header name)");
          } else {
            VendorEndpoints.checkHeaderSafe("headers[" + name + "]", value.value(), errors);
          }
        });
    return errors;
  }

  /**
   * Reports a customized {@code tls} block when the URL requests go to is not {@code https://},
   * where it would silently do nothing. The block's own keys are checked by {@link
   * TlsClientConfig#validate()}.
   */
  public void checkTls(String url, List<String> errors) {
    if (tls.customized() && !url.regionMatches(true, 0, "https://", 0, 8)) {
      errors.add("tls: set, but the endpoint is not https:// (expected: an https:// URL)");
    }
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      final char c = name.charAt(i);
      if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
