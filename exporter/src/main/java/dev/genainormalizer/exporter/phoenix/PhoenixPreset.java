package dev.genainormalizer.exporter.phoenix;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.OpenInferenceSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.util.List;
import java.util.Map;

/**
 * Arize Phoenix: a Bearer API key when set, after the {@code phoenix} profile (explicit
 * OpenInference keys and the project). Protobuf, as every preset: Phoenix answers 415 to any other
 * content type.
 */
public final class PhoenixPreset
    extends VendorPreset<PhoenixExporterConfig, OpenInferenceSettings> {
  public static final String TRACES_PATH = "/v1/traces";

  public PhoenixPreset() {
    super(
        "Phoenix",
        "Phoenix server",
        TRACES_PATH,
        VendorProfiles.PHOENIX,
        PhoenixExporterConfig.class,
        PhoenixExporterConfig.defaults());
  }

  @Override
  public Map<String, Secret> headers(PhoenixExporterConfig config) {
    return config.apiKey().isEmpty()
        ? Map.of()
        : Map.of("authorization", new Secret("Bearer " + config.apiKey().value()));
  }

  @Override
  protected OpenInferenceSettings settings(PhoenixExporterConfig config) {
    return new OpenInferenceSettings(config.project());
  }

  @Override
  protected void check(PhoenixExporterConfig config, List<String> errors) {
    if (!config.apiKey().isEmpty()) {
      VendorEndpoints.checkHeaderSafe("api_key", config.apiKey().value(), errors);
    }
  }
}
