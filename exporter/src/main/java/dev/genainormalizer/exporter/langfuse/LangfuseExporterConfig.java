package dev.genainormalizer.exporter.langfuse;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.LangfuseSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The {@code langfuse} exporter's YAML block.
 *
 * @param endpoint the Langfuse host, e.g. {@code https://cloud.langfuse.com}; we POST to {@code
 *     {endpoint}/api/public/otel/v1/traces}. Required
 * @param publicKey the project's public key ({@code pk-lf-…}). Required
 * @param secretKey the project's secret key ({@code sk-lf-…}). Required
 * @param environment {@code langfuse.environment} on every span; default empty (Langfuse's own rule)
 * @param traceName {@code langfuse.trace.name} on every span; default empty (the root span's name)
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record LangfuseExporterConfig(
    String endpoint,
    String publicKey,
    Secret secretKey,
    String environment,
    String traceName,
    Boolean rerootOrphans,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String TRACES_PATH = "/api/public/otel/v1/traces";
  /** Without it Langfuse may delay ingestion by up to 10 minutes; values above 4 are refused. */
  public static final String INGESTION_VERSION = "4";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final String OTEL_BASE = "/api/public/otel";

  public LangfuseExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    publicKey = publicKey == null ? "" : publicKey.trim();
    secretKey = secretKey == null ? new Secret("") : new Secret(secretKey.value().trim());
    environment = environment == null ? "" : environment.trim();
    traceName = traceName == null ? "" : traceName.trim();
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static LangfuseExporterConfig defaults() {
    return new LangfuseExporterConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint, TRACES_PATH, "Langfuse host", errors);
    if (errors.isEmpty() && stripSlashes(endpoint).toLowerCase(Locale.ROOT).endsWith(OTEL_BASE)) {
      errors.add("endpoint: already ends in " + OTEL_BASE + "; we would call " + tracesUri()
          + " (expected: the Langfuse host, e.g. https://cloud.langfuse.com)");
    }
    final boolean hasSecret = !secretKey.value().isEmpty();
    if (publicKey.isEmpty()) {
      errors.add("public_key: required: Langfuse authenticates with Basic public_key:secret_key"
          + (hasSecret ? " and rejects a secret key alone (401)" : ""));
    } else if (publicKey.startsWith("sk-lf-")) {
      errors.add("public_key: looks like a secret key (sk-lf-…; value not shown) (expected: the"
          + " public key pk-lf-…; are the keys swapped?)");
    } else {
      VendorEndpoints.checkHeaderSafe("public_key", publicKey, errors);
    }
    if (!hasSecret) {
      errors.add("secret_key: required: Langfuse authenticates with Basic public_key:secret_key"
          + (publicKey.isEmpty() ? "" : " and rejects a public key alone (401)"));
    } else if (secretKey.value().startsWith("pk-lf-")) {
      errors.add("secret_key: looks like a public key (pk-lf-…) (expected: the secret key sk-lf-…;"
          + " are the keys swapped?)");
    } else {
      VendorEndpoints.checkHeaderSafe("secret_key", secretKey.value(), errors);
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

  /** {@code Basic base64(public_key:secret_key)}. */
  public Secret authorization() {
    final String pair = publicKey + ":" + secretKey.value();
    return new Secret("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  /** The {@code langfuse} profile's settings. */
  public LangfuseSettings settings() {
    return new LangfuseSettings(environment, traceName, rerootOrphans);
  }

  private static String stripSlashes(String s) {
    String p = s;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
