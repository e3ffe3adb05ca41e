package dev.genainormalizer.exporter.openobserve;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.util.List;

/**
 * The {@code openobserve} exporter's YAML block.
 *
 * @param http {@code endpoint} (the OpenObserve base URL, e.g. {@code https://api.openobserve.ai};
 *     we POST to {@code {endpoint}/api/{organization}/v1/traces}; required), {@code headers},
 *     {@code compression}, {@code timeout}, {@code tls}, {@code retry_on_failure}, {@code
 *     sending_queue}
 * @param organization the organization (path segment). Required
 * @param username the user's e-mail. Required
 * @param password the user's password or ingestion token. Required
 * @param stream the traces stream, sent as {@code stream-name}; default {@code default}
 * @param openinferenceKeys also write OpenInference keys, for servers before v0.60; default false
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record OpenObserveExporterConfig(
    @Squash HttpClientSettings http,
    String organization,
    String username,
    Secret password,
    String stream,
    Boolean openinferenceKeys,
    ContentPolicy content)
    implements VendorConfig {

  public static final String DEFAULT_STREAM = "default";

  public OpenObserveExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    organization = organization == null ? "" : organization.trim();
    username = username == null ? "" : username.trim();
    password = password == null ? new Secret("") : password;
    stream = stream == null || stream.isBlank() ? DEFAULT_STREAM : stream.trim();
    openinferenceKeys = openinferenceKeys == null ? Boolean.FALSE : openinferenceKeys;
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static OpenObserveExporterConfig defaults() {
    return new OpenObserveExporterConfig(null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    return new OpenObservePreset().validate(this);
  }
}
