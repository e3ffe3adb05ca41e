package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.util.List;

/**
 * The {@code dynatrace} exporter's YAML block.
 *
 * @param http {@code endpoint} (the environment URL, e.g. {@code
 *     https://abc12345.live.dynatrace.com} or {@code https://{activegate}:9999/e/{env-id}}; we POST
 *     to {@code {endpoint}/api/v2/otlp/v1/traces}; required), {@code headers}, {@code compression},
 *     {@code timeout}, {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param apiToken an access token ({@code dt0c01.…}) with scope {@code openTelemetryTrace.ingest},
 *     sent as {@code Authorization: Api-Token …}; a leading {@code Api-Token } is accepted.
 *     Required
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record DynatraceExporterConfig(
    @Squash HttpClientSettings http, Secret apiToken, ContentPolicy content)
    implements VendorConfig {

  public DynatraceExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    apiToken = apiToken == null ? new Secret("") : new Secret(apiToken.value().trim());
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static DynatraceExporterConfig defaults() {
    return new DynatraceExporterConfig(null, null, null);
  }

  @Override
  public List<String> validate() {
    return new DynatracePreset().validate(this);
  }
}
