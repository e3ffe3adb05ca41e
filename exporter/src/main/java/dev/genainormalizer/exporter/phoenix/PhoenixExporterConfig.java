package dev.genainormalizer.exporter.phoenix;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.util.List;

/**
 * The {@code phoenix} exporter's YAML block.
 *
 * @param http {@code endpoint} (the Phoenix server, e.g. {@code http://phoenix:6006}; we POST to
 *     {@code {endpoint}/v1/traces}; required), {@code headers}, {@code compression}, {@code
 *     timeout}, {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param project the resource attribute {@code openinference.project.name}; default {@code default}
 * @param apiKey sent as {@code Authorization: Bearer} when set (Phoenix with auth enabled); default
 *     none
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record PhoenixExporterConfig(
    @Squash HttpClientSettings http, String project, Secret apiKey, ContentPolicy content)
    implements VendorConfig {

  public static final String DEFAULT_PROJECT = "default";

  public PhoenixExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    project = project == null || project.isBlank() ? DEFAULT_PROJECT : project.trim();
    apiKey = apiKey == null ? new Secret("") : apiKey;
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static PhoenixExporterConfig defaults() {
    return new PhoenixExporterConfig(null, null, null, null);
  }

  @Override
  public List<String> validate() {
    return new PhoenixPreset().validate(this);
  }
}
