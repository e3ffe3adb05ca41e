package dev.genainormalizer.exporter.profile;

/**
 * The {@code genai} profile, the default: current OTel GenAI semantic conventions as the processors
 * left them, with message attributes as JSON strings (vendors.md §7 "Encoding for this project").
 */
final class GenAiProfile {
  static final VendorProfile<NoSettings> PROFILE =
      new VendorProfile<>(
          "genai",
          NoSettings.class,
          NoSettings.defaults(),
          (settings, content) ->
              new ProfileMapper(
                  ProfileMapper.ResourceStep.NONE,
                  ProfileMapper.SpanStep.NONE,
                  ContentKeys.BASE,
                  content,
                  false));

  private GenAiProfile() {}
}
