package dev.genainormalizer.exporter.fiddler;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.FiddlerSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fiddler: a Bearer token and the {@code fiddler-application-id} header, after the {@code fiddler}
 * profile.
 */
public final class FiddlerPreset extends VendorPreset<FiddlerExporterConfig, FiddlerSettings> {
  public static final String TRACES_PATH = "/v1/traces";

  public FiddlerPreset() {
    super(
        "Fiddler",
        "Fiddler instance",
        TRACES_PATH,
        VendorProfiles.FIDDLER,
        FiddlerExporterConfig.class,
        FiddlerExporterConfig.defaults());
  }

  @Override
  public Map<String, Secret> headers(FiddlerExporterConfig config) {
    return Map.of(
        "authorization", new Secret("Bearer " + config.apiKey().value()),
        "fiddler-application-id", new Secret(config.applicationId()));
  }

  @Override
  protected FiddlerSettings settings(FiddlerExporterConfig config) {
    return new FiddlerSettings(config.applicationId(), config.agentName(), config.rerootOrphans());
  }

  @Override
  protected void check(FiddlerExporterConfig config, List<String> errors) {
    VendorEndpoints.checkSecret(
        "api_key", config.apiKey(), "Fiddler answers 401 without a Bearer API token", errors);
    final String applicationId = config.applicationId();
    if (applicationId.isEmpty()) {
      errors.add(
          "application_id: required: Fiddler drops spans without an application id (the"
              + " fiddler-application-id header and the resource attribute application.id)");
      return;
    }
    try {
      UUID.fromString(applicationId);
    } catch (IllegalArgumentException e) {
      errors.add(
          "application_id: '"
              + applicationId
              + "' (expected: the application's UUID, as"
              + " shown in Fiddler)");
    }
  }
}
