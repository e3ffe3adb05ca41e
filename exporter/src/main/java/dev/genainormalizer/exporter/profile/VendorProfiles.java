package dev.genainormalizer.exporter.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every mapping profile, by the name YAML uses ({@code profile: langfuse}). */
public final class VendorProfiles {
  public static final VendorProfile<NoSettings> GENAI = GenAiProfile.PROFILE;
  public static final VendorProfile<OpenInferenceSettings> OPENINFERENCE =
      OpenInferenceProfile.OPENINFERENCE;
  public static final VendorProfile<NoSettings> OPENLLMETRY = OpenLlmetryProfile.OPENLLMETRY;
  public static final VendorProfile<FiddlerSettings> FIDDLER = FiddlerProfile.PROFILE;
  public static final VendorProfile<LangfuseSettings> LANGFUSE = LangfuseProfile.PROFILE;
  public static final VendorProfile<MlflowSettings> MLFLOW = MlflowProfile.PROFILE;
  public static final VendorProfile<OpenObserveSettings> OPENOBSERVE = OpenObserveProfile.PROFILE;
  public static final VendorProfile<NoSettings> DYNATRACE = OpenLlmetryProfile.DYNATRACE;
  public static final VendorProfile<OpenInferenceSettings> PHOENIX = OpenInferenceProfile.PHOENIX;

  /** Dynatrace's request limit, for {@link RequestSplitter#split}. */
  public static final int DYNATRACE_MAX_REQUEST_BYTES =
      OpenLlmetryProfile.DYNATRACE_MAX_REQUEST_BYTES;

  private static final Map<String, VendorProfile<?>> BY_NAME = index();

  /**
   * Every profile's content keys, and the single-value {@code gen_ai.prompt} / {@code
   * gen_ai.completion} of older senders' events: what carries prompt or completion text before or
   * after any mapping.
   */
  private static final List<ContentKeys> CONTENT =
      List.of(
          ContentKeys.BASE,
          OpenInferenceProfile.CONTENT,
          OpenLlmetryProfile.CONTENT,
          FiddlerProfile.CONTENT,
          new ContentKeys(Set.of("gen_ai.prompt", "gen_ai.completion"), List.of()));

  private VendorProfiles() {}

  /** The profile of that name (exact, lower case), or empty. */
  public static Optional<VendorProfile<?>> byName(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }

  /** All names, in a stable order (for messages: "profile: x (expected: one of …)"). */
  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /**
   * Whether an attribute of this key carries prompt or completion text, in the received spans or in
   * what any profile sends (what {@code content: drop} removes, for every profile).
   */
  public static boolean isContentKey(String key) {
    for (ContentKeys keys : CONTENT) {
      if (keys.matches(key)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, VendorProfile<?>> index() {
    final Map<String, VendorProfile<?>> map = new LinkedHashMap<>();
    for (VendorProfile<?> p :
        new VendorProfile<?>[] {
          GENAI,
          OPENINFERENCE,
          OPENLLMETRY,
          FIDDLER,
          LANGFUSE,
          MLFLOW,
          OPENOBSERVE,
          DYNATRACE,
          PHOENIX
        }) {
      if (map.put(p.name(), p) != null) {
        throw new IllegalStateException("duplicate profile name " + p.name());
      }
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
