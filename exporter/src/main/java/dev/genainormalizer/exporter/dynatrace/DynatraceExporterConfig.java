package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code dynatrace} exporter's YAML block.
 *
 * @param endpoint the environment URL, e.g. {@code https://abc12345.live.dynatrace.com} (or {@code
 *     https://{activegate}:9999/e/{env-id}}); we POST to {@code {endpoint}/api/v2/otlp/v1/traces}.
 *     Required
 * @param apiToken an access token ({@code dt0c01.…}) with scope {@code openTelemetryTrace.ingest},
 *     sent as {@code Authorization: Api-Token …}; a leading {@code Api-Token } is accepted. Required
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record DynatraceExporterConfig(
    String endpoint,
    Secret apiToken,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String TRACES_PATH = "/api/v2/otlp/v1/traces";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final String SCHEME = "Api-Token ";
  /** Dynatrace access tokens: prefix {@code dt0c01}, a 24-character public and a 64-character secret part. */
  private static final Pattern ACCESS_TOKEN = Pattern.compile("dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}");

  public DynatraceExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    apiToken = apiToken == null ? new Secret("") : new Secret(apiToken.value().trim());
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static DynatraceExporterConfig defaults() {
    return new DynatraceExporterConfig(null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint, TRACES_PATH, "Dynatrace environment", errors);
    final String token = token();
    if (token.isEmpty()) {
      errors.add("api_token: required: Dynatrace answers 401 without an Api-Token with scope"
          + " openTelemetryTrace.ingest");
    } else if (token.startsWith("dt0s")) {
      errors.add("api_token: is a platform token (dt0s…; value not shown), which Dynatrace's OTLP"
          + " endpoint does not take as Api-Token (expected: an access token dt0c01.… with scope"
          + " openTelemetryTrace.ingest)");
    } else if (!ACCESS_TOKEN.matcher(token).matches()) {
      errors.add("api_token: not an Api-Token-style value (value not shown; expected: an access token"
          + " dt0c01.<24 characters>.<64 characters> with scope openTelemetryTrace.ingest, without"
          + " 'Bearer')");
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

  /** {@code Api-Token <token>}. */
  public Secret authorization() {
    return new Secret(SCHEME + token());
  }

  private String token() {
    final String v = apiToken.value();
    return v.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? v.substring(SCHEME.length()).trim() : v;
  }
}
