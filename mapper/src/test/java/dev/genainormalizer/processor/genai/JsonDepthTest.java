package dev.genainormalizer.processor.genai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Message JSON is parsed only up to a bounded nesting depth. */
class JsonDepthTest {
  @Test
  void parsesUpToTheLimitAndRefusesDeeper() {
    final int limit = Json.MAX_NESTING_DEPTH;
    assertThat(Json.read("[".repeat(limit) + "]".repeat(limit))).isPresent();
    assertThat(Json.read("[".repeat(limit + 1) + "]".repeat(limit + 1))).isEmpty();
    assertThat(Json.read("[".repeat(100_000) + "]".repeat(100_000))).isEmpty();
  }
}
