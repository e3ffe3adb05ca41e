package dev.genainormalizer.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one metric keeps per label set, made once per set the {@link SeriesLimiter} admits: a span
 * then costs a map lookup instead of building tags and asking the registry for each of its meters.
 * Holds at most one entry per admitted set plus the overflow set, so it is bounded exactly as the
 * series are.
 */
final class SeriesCache<T> {
  private final SeriesLimiter limiter;
  private final Function<List<String>, T> create;
  private final Map<List<String>, T> entries = new ConcurrentHashMap<>();

  /**
   * @param create makes the entry of admitted label values (as the limiter returned them)
   */
  SeriesCache(int maxSeries, Function<List<String>, T> create) {
    this.limiter = new SeriesLimiter(maxSeries);
    this.create = create;
  }

  /**
   * The entry for {@code values}: theirs while the limiter admits them, else the overflow set's.
   */
  T get(List<String> values) {
    final T known = entries.get(values);
    if (known != null) {
      return known;
    }
    return entries.computeIfAbsent(limiter.admit(values), create);
  }

  /** How many label sets have an entry; for tests. */
  int size() {
    return entries.size();
  }
}
