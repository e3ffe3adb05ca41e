package dev.genainormalizer.exporter.fiddler;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.FiddlerSettings;
import java.util.List;

/**
 * The {@code fiddler} exporter's YAML block.
 *
 * @param http {@code endpoint} (the Fiddler instance's base URL; we POST to {@code
 *     {endpoint}/v1/traces}; required), {@code headers}, {@code compression}, {@code timeout},
 *     {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param apiKey the Fiddler API token, sent as {@code Authorization: Bearer}. Required
 * @param applicationId the application's UUID: header {@code fiddler-application-id} and resource
 *     attribute {@code application.id}. Required
 * @param agentName {@code gen_ai.agent.name} for spans without one; default {@code <UNKNOWN_AGENT>}
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record FiddlerExporterConfig(
    @Squash HttpClientSettings http,
    Secret apiKey,
    String applicationId,
    String agentName,
    Boolean rerootOrphans,
    ContentPolicy content)
    implements VendorConfig {

  public FiddlerExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    apiKey = apiKey == null ? new Secret("") : apiKey;
    applicationId = applicationId == null ? "" : applicationId.trim();
    agentName =
        agentName == null || agentName.isBlank() ? FiddlerSettings.DEFAULT_AGENT_NAME : agentName;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static FiddlerExporterConfig defaults() {
    return new FiddlerExporterConfig(null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    return new FiddlerPreset().validate(this);
  }
}
