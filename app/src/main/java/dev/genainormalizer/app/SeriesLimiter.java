package dev.genainormalizer.app;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the label combinations of one metric: the first {@code max} combinations are kept as they
 * are, later ones are counted under {@link #OVERFLOW} in every free label, so a model or workspace
 * name chosen by users can never grow the registry without bound.
 */
final class SeriesLimiter {
  static final String OVERFLOW = "other";

  private final int max;
  private final Set<List<String>> seen = ConcurrentHashMap.newKeySet();

  SeriesLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
    }
    this.max = max;
  }

  /**
   * The values to use for {@code values}: themselves while there is room, else all {@code other}.
   */
  List<String> admit(List<String> values) {
    if (seen.contains(values)) {
      return values;
    }
    // Racing threads may overshoot max by a few series; the bound still holds within that margin.
    if (seen.size() < max) {
      seen.add(values);
      return values;
    }
    return values.stream().map(v -> OVERFLOW).toList();
  }
}
