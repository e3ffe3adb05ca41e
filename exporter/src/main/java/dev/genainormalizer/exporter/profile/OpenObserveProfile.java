package dev.genainormalizer.exporter.profile;

/**
 * The {@code openobserve} profile (vendors.md §3 "Translation the forwarder should do"): v0.91+
 * normalizes {@code gen_ai.*} itself, so spans pass through; with {@code openinference_keys} the
 * Gen AI spans also get the OpenInference mirror. Only Gen AI spans get it: {@code
 * openinference.span.kind} on any span makes OpenObserve treat it as an LLM span ({@code
 * is_llm_trace}).
 */
final class OpenObserveProfile {
  static final VendorProfile<OpenObserveSettings> PROFILE =
      new VendorProfile<>(
          "openobserve",
          OpenObserveSettings.class,
          OpenObserveSettings.defaults(),
          OpenObserveProfile::mapper);

  private OpenObserveProfile() {}

  private static VendorMapper mapper(OpenObserveSettings settings, ContentPolicy content) {
    final ProfileMapper.SpanStep step =
        settings.openinferenceKeys()
            ? span -> {
              if (span.kind().isGenAi()) {
                OpenInferenceProfile.mapGenAi(span);
              }
            }
            : ProfileMapper.SpanStep.NONE;
    return new ProfileMapper(
        ProfileMapper.ResourceStep.NONE,
        step,
        settings.openinferenceKeys() ? OpenInferenceProfile.CONTENT : ContentKeys.BASE,
        content,
        false);
  }
}
