package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.VendorMapper;
import dev.genainormalizer.exporter.profile.VendorProfile;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.util.List;
import org.slf4j.Logger;

/**
 * The {@code profile:} key of the generic {@code otlphttp} and {@code otlp} exporters: any mapping
 * profile by name, with its default settings. A profile whose defaults are not enough (Fiddler
 * needs its application id) is refused there: its vendor exporter takes the settings.
 */
public final class GenericProfiles {
  /** The profile of a generic exporter when none is given: current OTel GenAI semconv. */
  public static final String DEFAULT = "genai";

  private GenericProfiles() {}

  /** Adds {@code profile: …} messages for an unknown name or a profile that needs settings. */
  public static void check(String profile, List<String> errors) {
    final VendorProfile<?> p = VendorProfiles.byName(profile).orElse(null);
    if (p == null) {
      errors.add(
          "profile: '"
              + profile
              + "' (expected: one of "
              + String.join(", ", VendorProfiles.names())
              + ")");
      return;
    }
    final List<String> problems = p.validate(p.defaultSettings());
    if (!problems.isEmpty()) {
      errors.add(
          "profile: "
              + profile
              + " needs settings the generic exporter does not take ("
              + String.join("; ", problems)
              + ") (expected: the "
              + profile
              + " exporter, or another profile)");
    }
  }

  /** The mapper of a profile that passed {@link #check}. */
  public static VendorMapper mapper(String profile, ContentPolicy content) {
    final VendorProfile<?> p =
        VendorProfiles.byName(profile)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "profile: '" + profile + "' (expected: a known profile)"));
    return p.mapper(content);
  }

  /**
   * A generic exporter's transport behind a profile that passed {@link #check}: what {@code otlp}
   * and {@code otlphttp} both send through.
   */
  public static MappingSender sender(
      String exporterId,
      String profile,
      ContentPolicy content,
      TraceSender transport,
      Logger logger) {
    return new MappingSender(
        exporterId, "the backend", profile, mapper(profile, content), content, transport, logger);
  }
}
