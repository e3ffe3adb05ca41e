package dev.genainormalizer.processor.kong;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code drop_span_names}: name prefixes, and {@code regex:} patterns matched on the whole name.
 */
final class SpanNameMatcher {
  private final List<String> prefixes = new ArrayList<>();
  private final List<Pattern> patterns = new ArrayList<>();

  /** Expects entries already checked by {@link KongProcessorConfig#validate()}. */
  SpanNameMatcher(List<String> entries) {
    for (String entry : entries) {
      if (entry == null || entry.isEmpty()) {
        continue;
      }
      if (entry.startsWith(KongProcessorConfig.REGEX_PREFIX)) {
        patterns.add(Pattern.compile(entry.substring(KongProcessorConfig.REGEX_PREFIX.length())));
      } else {
        prefixes.add(entry);
      }
    }
  }

  boolean matches(String name) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }
}
