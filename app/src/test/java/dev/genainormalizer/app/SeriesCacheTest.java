package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {

  @Test
  void oneEntryPerAdmittedLabelSetMadeOnce() {
    final List<List<String>> made = new ArrayList<>();
    final SeriesCache<List<String>> cache =
        new SeriesCache<>(
            2,
            labels -> {
              made.add(labels);
              return labels;
            });
    final List<String> first = cache.get(List.of("openai", "gpt-4o"));
    assertThat(cache.get(new ArrayList<>(List.of("openai", "gpt-4o")))).isSameAs(first);
    assertThat(cache.get(List.of("anthropic", "claude"))).isEqualTo(List.of("anthropic", "claude"));
    assertThat(made).containsExactly(List.of("openai", "gpt-4o"), List.of("anthropic", "claude"));
  }

  @Test
  void labelSetsOverTheLimitShareTheOverflowEntryAndTheCacheStaysBounded() {
    final List<List<String>> made = new ArrayList<>();
    final SeriesCache<List<String>> cache =
        new SeriesCache<>(
            2,
            labels -> {
              made.add(labels);
              return labels;
            });
    cache.get(List.of("a", "1"));
    cache.get(List.of("b", "2"));
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get(List.of("model-" + i, "x"))).containsExactly("other", "other");
    }
    // Admitted sets keep their entry after the limit is reached.
    assertThat(cache.get(List.of("a", "1"))).containsExactly("a", "1");
    assertThat(cache.size()).isEqualTo(3);
    assertThat(made)
        .containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("other", "other"));
  }

  @Test
  void aFailedEntryIsNotKeptAndIsMadeAgainNextTime() {
    final int[] calls = {0};
    final SeriesCache<String> cache =
        new SeriesCache<>(
            5,
            labels -> {
              if (calls[0]++ == 0) {
                throw new IllegalArgumentException("registry refused the meter");
              }
              return "meter";
            });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get(List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(cache.size()).isZero();
    assertThat(cache.get(List.of("a"))).isEqualTo("meter");
  }
}
