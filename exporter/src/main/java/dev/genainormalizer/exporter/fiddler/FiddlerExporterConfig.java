package dev.genainormalizer.exporter.fiddler;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.FiddlerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code fiddler} exporter's YAML block.
 *
 * @param endpoint the Fiddler instance's base URL; we POST to {@code {endpoint}/v1/traces}. Required
 * @param apiKey the Fiddler API token, sent as {@code Authorization: Bearer}. Required
 * @param applicationId the application's UUID: header {@code fiddler-application-id} and resource
 *     attribute {@code application.id}. Required
 * @param agentName {@code gen_ai.agent.name} for spans without one; default {@code <UNKNOWN_AGENT>}
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 * @param compression {@code gzip} (default) or {@code none}
 * @param timeout per attempt; default 30s
 * @param retryOnFailure {@code retry_on_failure}
 * @param sendingQueue {@code sending_queue}
 * @param tls trust and client certificate for an {@code https://} endpoint; default the JVM's
 *     trust store
 */
public record FiddlerExporterConfig(
    String endpoint,
    Secret apiKey,
    String applicationId,
    String agentName,
    Boolean rerootOrphans,
    ContentPolicy content,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    TlsClientConfig tls)
    implements Validatable {

  public static final String TRACES_PATH = "/v1/traces";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public FiddlerExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.trim();
    apiKey = apiKey == null ? new Secret("") : apiKey;
    applicationId = applicationId == null ? "" : applicationId.trim();
    agentName = agentName == null || agentName.isBlank() ? FiddlerSettings.DEFAULT_AGENT_NAME : agentName;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
  }

  public static FiddlerExporterConfig defaults() {
    return new FiddlerExporterConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", endpoint, TRACES_PATH, "Fiddler instance", errors);
    VendorEndpoints.checkSecret("api_key", apiKey,
        "Fiddler answers 401 without a Bearer API token", errors);
    if (applicationId.isEmpty()) {
      errors.add("application_id: required: Fiddler drops spans without an application id (the"
          + " fiddler-application-id header and the resource attribute application.id)");
    } else {
      try {
        UUID.fromString(applicationId);
      } catch (IllegalArgumentException e) {
        errors.add("application_id: '" + applicationId + "' (expected: the application's UUID, as"
            + " shown in Fiddler)");
      }
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

  /** The {@code fiddler} profile's settings. */
  public FiddlerSettings settings() {
    return new FiddlerSettings(applicationId, agentName, rerootOrphans);
  }
}
