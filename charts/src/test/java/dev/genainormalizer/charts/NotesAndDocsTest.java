package dev.genainormalizer.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The install notes (what an operator copies into Kong) and the values reference in docs/deploy.md.
 */
class NotesAndDocsTest {
  /** Values the reference documents as a whole rather than key by key. */
  private static final List<String> DOCUMENTED_WHOLE =
      List.of("config", "resources", "podSecurityContext", "securityContext", "lifecycleHooks");

  @Test
  void notesPrintKongsTracesEndpointWithThePath() {
    assertThat(notes(Map.of()))
        .contains(
            "traces_endpoint: http://genai-normalizer.observability.svc.cluster.local:4318/v1/traces")
        .contains("KONG_TRACING_INSTRUMENTATIONS=all")
        .contains("KONG_TRACING_SAMPLING_RATE=1.0");
  }

  @Test
  void notesFollowTheServicePortAndSayWhenKongCannotSend() {
    assertThat(notes(Map.of("ports.otlp-http.servicePort", 80)))
        .contains(
            "traces_endpoint: http://genai-normalizer.observability.svc.cluster.local:80/v1/traces");
    assertThat(notes(Map.of("ports.otlp-http.enabled", false)))
        .doesNotContain("traces_endpoint")
        .contains("ports.otlp-http is disabled");
  }

  @Test
  void notesSayHttpsAndTheAuthorizationHeaderWhenTheReceiverIsSecured() {
    assertThat(notes(Map.of("receiverTls.enabled", true, "receiverTls.secretName", "gn-tls")))
        .contains(
            "traces_endpoint: https://genai-normalizer.observability.svc.cluster.local:4318/v1/traces")
        .contains("Secret gn-tls")
        .doesNotContain("Authorization");
    assertThat(notes(Map.of("receiverAuth.enabled", true, "receiverAuth.secretName", "gn-auth")))
        .contains("traces_endpoint: http://")
        .contains("Authorization: \"Bearer <the value of key token>\"");
  }

  @Test
  void deployDocListsEveryValue() throws IOException {
    final String doc = Files.readString(ChartFixture.repoDir().resolve("docs/deploy.md"));
    final List<String> paths = new ArrayList<>();
    collect("", ChartFixture.readYamlMap(ChartFixture.chartDir().resolve("values.yaml")), paths);
    assertThat(paths).hasSizeGreaterThan(50);
    assertThat(paths)
        .as("values missing from the values reference in docs/deploy.md")
        .allMatch(p -> doc.contains("| `" + p + "` |"));
  }

  private static String notes(Map<String, Object> sets) {
    final InstallCommand install =
        new Helm(ChartFixture.chartDir())
            .install()
            .withName(ChartFixture.RELEASE)
            .withNamespace(ChartFixture.NAMESPACE)
            .clientOnly()
            .dryRun();
    sets.forEach(install::set);
    return install.call().getOutput();
  }

  @SuppressWarnings("unchecked")
  private static void collect(String prefix, Map<String, Object> values, List<String> out) {
    values.forEach(
        (key, value) -> {
          final String path = prefix.isEmpty() ? key : prefix + "." + key;
          if (value instanceof Map<?, ?> m && !m.isEmpty() && !DOCUMENTED_WHOLE.contains(path)) {
            collect(path, (Map<String, Object>) m, out);
          } else {
            out.add(path);
          }
        });
  }
}
