package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.internal.YamlPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
  private final ConfigValidator validator = new ConfigValidator();

  record Leaf(String name) implements Validatable {
    @Override
    public List<String> validate() {
      return name.isEmpty() ? List.of("name: required") : List.of();
    }
  }

  record Outer(RetryConfig retryOnFailure, List<Leaf> leaves, Map<String, Leaf> byKey, Leaf single)
      implements Validatable {
    @Override
    public List<String> validate() {
      return List.of("leaves[1].name: checked by the parent too", "no key in this message");
    }
  }

  record Broken() implements Validatable {
    @Override
    public List<String> validate() {
      throw new IllegalStateException("bug");
    }
  }

  @Test
  void walksNestedRecordsListsAndMapsAndPrefixesPaths() {
    final RetryConfig badRetry =
        new RetryConfig(
            true, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ZERO, 1.5, 0.5);
    final Outer outer =
        new Outer(badRetry, List.of(new Leaf("a"), new Leaf("")), Map.of("k", new Leaf("")), null);

    assertThat(validator.validate("exporters.x", outer))
        .extracting(ConfigError::path)
        .containsExactlyInAnyOrder(
            "exporters.x.leaves[1].name",
            "exporters.x",
            "exporters.x.retry_on_failure.max_interval",
            "exporters.x.leaves[1].name",
            "exporters.x.by_key.k.name");
  }

  @Test
  void attachesTheLineOfTheKeyOrOfTheNearestEnclosingKey() {
    final YamlPath block = YamlPath.ROOT.key("exporters").key("x");
    final Map<YamlPath, Integer> lines = Map.of(block, 3, block.key("by_key").key("k"), 7);
    final Outer outer =
        new Outer(RetryConfig.defaults(), List.of(), Map.of("k", new Leaf("")), new Leaf(""));

    final List<ConfigError> errors =
        validator.validate(
            block,
            outer,
            p -> {
              for (YamlPath q = p; ; q = q.parent()) {
                if (lines.containsKey(q)) {
                  return lines.get(q);
                }
                if (q.isRoot()) {
                  return 0;
                }
              }
            });

    assertThat(errors)
        .contains(
            new ConfigError("exporters.x.by_key.k.name", 7, "required"),
            new ConfigError("exporters.x.single.name", 3, "required"),
            new ConfigError("exporters.x", 3, "no key in this message"));
  }

  @Test
  void aFailingValidateIsReportedNotThrown() {
    assertThat(validator.validate("processors.p", new Broken()))
        .containsExactly(
            new ConfigError(
                "processors.p",
                0,
                "validation failed (IllegalStateException in Broken.validate())"));
  }
}
