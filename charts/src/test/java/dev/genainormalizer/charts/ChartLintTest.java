package dev.genainormalizer.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint --strict over the defaults and every ci/*-values.yaml; helm template over each. */
class ChartLintTest {
  @TempDir Path dir;

  static Stream<Arguments> ciCases() {
    return ChartFixture.ciCases().entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void everyScenarioOfTheIssueHasACiValuesFile() {
    assertThat(ChartFixture.ciCases().keySet())
        .contains(
            "default",
            "statefulset-disk-queue",
            "hpa-pdb",
            "monitoring-on",
            "existing-secret",
            "network-policy");
  }

  @Test
  void lintsCleanWithItsDefaults() {
    final LintResult result = ChartFixture.lint(null, dir);
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciCases")
  void lintsCleanWithEachCiValuesFile(String name, Path values) {
    final LintResult result = ChartFixture.lint(values, dir);
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciCases")
  void rendersEachCiValuesFile(String name, Path values) {
    final Manifests manifests = ChartFixture.render(values);
    assertThat(manifests.kinds()).contains("ConfigMap", "Service", "ServiceAccount");
    assertThat(manifests.workload()).isNotNull();
  }

  @Test
  void lintFailsOnATypoInValues() {
    final Path typo = ChartFixture.valuesFile(dir, "typo.yaml", "replicaCout: 2\n");
    final LintResult result = ChartFixture.lint(typo, dir.resolve("lint"));
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("replicaCout");
  }

  @Test
  void mergesValuesAsHelmDoes() {
    assertThat(
            ChartFixture.coalesce(
                Map.of("a", Map.of("x", 1, "y", 2), "b", 1),
                new java.util.HashMap<>(Map.of("a", new java.util.HashMap<>(Map.of("y", 3))))))
        .isEqualTo(Map.of("a", Map.of("x", 1, "y", 3), "b", 1));
    final java.util.Map<String, Object> deleting = new java.util.HashMap<>();
    deleting.put("b", null);
    assertThat(ChartFixture.coalesce(Map.of("a", 1, "b", 2), deleting)).isEqualTo(Map.of("a", 1));
  }
}
