package dev.genainormalizer.exporter.openobserve;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.OpenObserveSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * OpenObserve: the organization in the path, Basic auth and {@code stream-name}, after the {@code
 * openobserve} profile.
 */
public final class OpenObservePreset
    extends VendorPreset<OpenObserveExporterConfig, OpenObserveSettings> {
  public static final String STREAM_HEADER = "stream-name";

  public OpenObservePreset() {
    super(
        "OpenObserve",
        "OpenObserve",
        "/api/{organization}/v1/traces",
        VendorProfiles.OPENOBSERVE,
        OpenObserveExporterConfig.class,
        OpenObserveExporterConfig.defaults());
  }

  /**
   * {@code /api/{organization}/v1/traces}, with a placeholder while the organization is not valid.
   */
  @Override
  protected String tracesPath(OpenObserveExporterConfig config) {
    return "/api/"
        + (organizationValid(config) ? config.organization() : "ORGANIZATION")
        + "/v1/traces";
  }

  /** {@code Basic base64(username:password)} and the stream. */
  @Override
  public Map<String, Secret> headers(OpenObserveExporterConfig config) {
    final String pair = config.username() + ":" + config.password().value();
    return Map.of(
        "authorization",
        new Secret(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))),
        STREAM_HEADER,
        new Secret(config.stream()));
  }

  @Override
  protected OpenObserveSettings settings(OpenObserveExporterConfig config) {
    return new OpenObserveSettings(config.openinferenceKeys());
  }

  @Override
  protected void check(OpenObserveExporterConfig config, List<String> errors) {
    final String organization = config.organization();
    if (organization.isEmpty()) {
      errors.add(
          "organization: required: OpenObserve takes the organization from the URL path"
              + " /api/{organization}/v1/traces");
    } else if (!organizationValid(config)) {
      errors.add(
          "organization: '"
              + organization
              + "' (expected: the organization id, letters,"
              + " digits, '_', '-', '.' only; it becomes a URL path segment)");
    }
    final String username = config.username();
    if (username.isEmpty()) {
      errors.add("username: required: OpenObserve authenticates with Basic username:password");
    } else if (username.indexOf(':') >= 0) {
      errors.add(
          "username: contains ':' (expected: the user's e-mail; Basic auth cannot carry a colon in it)");
    } else {
      VendorEndpoints.checkHeaderSafe("username", username, errors);
    }
    VendorEndpoints.checkSecret(
        "password",
        config.password(),
        "OpenObserve authenticates with Basic username:password (password or ingestion token)",
        errors);
    VendorEndpoints.checkHeaderSafe("stream", config.stream(), errors);
  }

  private static boolean organizationValid(OpenObserveExporterConfig config) {
    return config.organization().matches("[A-Za-z0-9_.~-]+");
  }
}
