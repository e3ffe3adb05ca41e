package dev.genainormalizer.exporter.otlp;

import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.GenericProfiles;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code otlp} (gRPC) exporter's YAML block.
 *
 * @param endpoint {@code host:port} (plaintext), {@code http://host:port} (plaintext) or {@code
 *     https://host:port} (TLS); required
 * @param compression {@code gzip} (default) or {@code none}
 * @param headers gRPC metadata added to every call; values are secrets (never logged)
 * @param timeout per attempt (gRPC deadline); default 5s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param profile the mapping profile applied before sending; default {@code genai}
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param tls trust and client certificate for {@code https://} endpoints; default the JVM's trust
 *     store
 */
public record OtlpExporterConfig(
    String endpoint,
    Compression compression,
    Map<String, Secret> headers,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    String profile,
    ContentPolicy content,
    TlsClientConfig tls)
    implements Validatable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public OtlpExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    compression = compression == null ? Compression.GZIP : compression;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    profile = profile == null || profile.isBlank() ? GenericProfiles.DEFAULT : profile.trim();
    content = content == null ? ContentPolicy.KEEP : content;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static OtlpExporterConfig defaults() {
    return new OtlpExporterConfig(null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (endpoint.isEmpty()) {
      errors.add("endpoint: required (expected: host:port or http(s)://host:port)");
    } else {
      final Optional<String> userInfo =
          EndpointCredentials.check("endpoint", endpoint, EndpointCredentials.IN_HEADERS);
      if (userInfo.isPresent()) {
        errors.add(userInfo.get());
      } else {
        try {
          GrpcEndpoint.parse(endpoint);
        } catch (IllegalArgumentException e) {
          errors.add("endpoint: " + e.getMessage());
        }
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      errors.add("timeout: " + timeout + " (expected: > 0)");
    }
    for (String name : headers.keySet()) {
      if (name.isEmpty()
          || !name.equals(name.toLowerCase(Locale.ROOT))
          || name.startsWith("grpc-")
          || name.chars()
              .anyMatch(c -> !(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))) {
        errors.add(
            "headers: '"
                + name
                + "' (expected: lowercase gRPC metadata key of [a-z0-9-_.], not"
                + " starting with grpc-)");
      }
    }
    GenericProfiles.check(profile, errors);
    if (tls.customized() && !endpoint.regionMatches(true, 0, "https://", 0, 8)) {
      errors.add("tls: set, but the endpoint is plaintext (expected: https://host:port)");
    }
    return errors;
  }
}
