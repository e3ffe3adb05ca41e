package dev.genainormalizer.exporter.otlphttp;

import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.GenericProfiles;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code otlphttp} exporter's YAML block.
 *
 * @param endpoint base URL; {@code /v1/traces} is appended to its path. Required unless {@code
 *     traces_endpoint} is set
 * @param tracesEndpoint full URL to POST to, used as is; overrides {@code endpoint}
 * @param encoding {@code proto} (default) or {@code json}
 * @param compression {@code gzip} (default) or {@code none}
 * @param headers added to every request; values are secrets (never logged)
 * @param timeout per attempt, until the whole response is read; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param profile the mapping profile applied before sending; default {@code genai}
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param tls trust and client certificate for {@code https://} endpoints; default the JVM's trust
 *     store
 */
public record OtlpHttpExporterConfig(
    String endpoint,
    String tracesEndpoint,
    Encoding encoding,
    Compression compression,
    Map<String, Secret> headers,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    String profile,
    ContentPolicy content,
    TlsClientConfig tls)
    implements Validatable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final String TRACES_PATH = "/v1/traces";

  public OtlpHttpExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    tracesEndpoint = tracesEndpoint == null ? "" : tracesEndpoint.trim();
    encoding = encoding == null ? Encoding.PROTO : encoding;
    compression = compression == null ? Compression.GZIP : compression;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    profile = profile == null || profile.isBlank() ? GenericProfiles.DEFAULT : profile.trim();
    content = content == null ? ContentPolicy.KEEP : content;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static OtlpHttpExporterConfig defaults() {
    return new OtlpHttpExporterConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (endpoint.isEmpty() && tracesEndpoint.isEmpty()) {
      errors.add("endpoint: required (or traces_endpoint)");
    }
    if (!endpoint.isEmpty()) {
      checkUrl("endpoint", endpoint, errors);
    }
    if (!tracesEndpoint.isEmpty()) {
      checkUrl("traces_endpoint", tracesEndpoint, errors);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      errors.add("timeout: " + timeout + " (expected: > 0)");
    }
    for (String name : headers.keySet()) {
      if (!isToken(name)) {
        errors.add("headers: '" + name + "' (expected: an HTTP header name)");
      }
    }
    GenericProfiles.check(profile, errors);
    if (tls.customized() && !isHttps(tracesEndpoint.isEmpty() ? endpoint : tracesEndpoint)) {
      errors.add("tls: set, but the endpoint is not https:// (expected: an https:// URL)");
    }
    return errors;
  }

  /** The URL batches are POSTed to; call only on a config that passed {@link #validate()}. */
  public URI tracesUri() {
    if (!tracesEndpoint.isEmpty()) {
      return URI.create(tracesEndpoint);
    }
    final URI base = URI.create(endpoint);
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + TRACES_PATH);
  }

  private static void checkUrl(String key, String value, List<String> errors) {
    final String shown = Redaction.url(value);
    try {
      final URI uri = new URI(value);
      final String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        errors.add(key + ": '" + shown + "' (expected: an http:// or https:// URL)");
      } else if (uri.getHost() == null) {
        errors.add(key + ": '" + shown + "' (expected: a URL with a host)");
      } else {
        EndpointCredentials.check(key, value, EndpointCredentials.IN_HEADERS).ifPresent(errors::add);
      }
    } catch (URISyntaxException e) {
      errors.add(key + ": '" + shown + "' (expected: a valid URL; " + e.getReason() + ")");
    }
  }

  private static boolean isHttps(String url) {
    return url.regionMatches(true, 0, "https://", 0, 8);
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
