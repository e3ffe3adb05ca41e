package dev.genainormalizer.exporter.profile;

import dev.genainormalizer.semconv.GenAiAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The attribute keys that carry prompt or completion text: exact keys plus key prefixes. Each
 * profile declares its own on top of {@link #BASE}; {@link ContentPolicy#DROP} removes all of them
 * after mapping, from span and span-event attributes.
 */
record ContentKeys(Set<String> exact, List<String> prefixes) {
  /** The semconv content attributes (opt-in in the spec) that every profile drops. */
  static final ContentKeys BASE =
      new ContentKeys(
          Set.of(
              GenAiAttributes.INPUT_MESSAGES,
              GenAiAttributes.OUTPUT_MESSAGES,
              GenAiAttributes.SYSTEM_INSTRUCTIONS,
              GenAiAttributes.TOOL_CALL_ARGUMENTS,
              GenAiAttributes.TOOL_CALL_RESULT),
          List.of());

  ContentKeys {
    exact = Set.copyOf(exact);
    prefixes = List.copyOf(prefixes);
  }

  ContentKeys plus(Set<String> moreExact, List<String> morePrefixes) {
    final Set<String> e = new LinkedHashSet<>(exact);
    e.addAll(moreExact);
    final List<String> p = new ArrayList<>(prefixes);
    p.addAll(morePrefixes);
    return new ContentKeys(e, p);
  }

  boolean matches(String key) {
    if (exact.contains(key)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
