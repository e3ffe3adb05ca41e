package dev.genainormalizer.exporter.profile;

/**
 * Settings of the {@code openobserve} profile.
 *
 * @param openinferenceKeys also write the OpenInference keys on Gen AI spans, which OpenObserve
 *     flattens into {@code llm_*} columns; needed for servers before v0.60, which do no Gen AI
 *     processing; default false (v0.91+ reads {@code gen_ai.*} itself)
 */
public record OpenObserveSettings(Boolean openinferenceKeys) {
  public OpenObserveSettings {
    openinferenceKeys = openinferenceKeys == null ? Boolean.FALSE : openinferenceKeys;
  }

  public static OpenObserveSettings defaults() {
    return new OpenObserveSettings(false);
  }
}
