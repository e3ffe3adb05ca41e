package dev.genainormalizer.exporter.profile;

/**
 * Settings of the {@code phoenix} and {@code openinference} profiles.
 *
 * @param project the resource attribute {@code openinference.project.name}, which selects the
 *     Phoenix project; empty leaves the resource as it is. Defaults: {@code default} for {@code
 *     phoenix}, empty for {@code openinference}.
 */
public record OpenInferenceSettings(String project) {
  public OpenInferenceSettings {
    project = project == null ? "" : project.trim();
  }

  public static OpenInferenceSettings phoenixDefaults() {
    return new OpenInferenceSettings("default");
  }

  public static OpenInferenceSettings openInferenceDefaults() {
    return new OpenInferenceSettings("");
  }
}
