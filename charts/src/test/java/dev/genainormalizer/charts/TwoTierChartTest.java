package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.get;
import static dev.genainormalizer.charts.Manifests.list;
import static dev.genainormalizer.charts.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code twoTier.enabled}: router Deployment with loadbalancing in front of the normalizer tier.
 */
class TwoTierChartTest {
  private static final String FULLNAME = ChartFixture.RELEASE;
  private static final String ROUTER = FULLNAME + "-router";
  private static final String HEADLESS = FULLNAME + "-normalizer-headless";

  private static Manifests render() {
    return ChartFixture.render(ChartFixture.ciCases().get("two-tier"));
  }

  @Test
  void rendersARouterInFrontOfTheNormalizerTierBehindAHeadlessService() {
    final Manifests m = render();
    final Map<String, Object> router = m.named("Deployment", ROUTER);
    final Map<String, Object> normalizer = m.workload();
    assertThat(get(normalizer, "metadata.name")).isEqualTo(FULLNAME);
    assertThat(get(normalizer, "spec.replicas")).isEqualTo(3);
    assertThat(get(router, "spec.replicas")).isEqualTo(2);

    final Map<String, Object> routerSelector = map(router, "spec.selector.matchLabels");
    final Map<String, Object> normalizerSelector = map(normalizer, "spec.selector.matchLabels");
    assertThat(routerSelector).isNotEqualTo(normalizerSelector);
    assertThat(map(router, "spec.template.metadata.labels"))
        .containsAllEntriesOf(routerSelector)
        .as("router pods must not join the normalizer tier")
        .doesNotContainEntry(
            "app.kubernetes.io/name", normalizerSelector.get("app.kubernetes.io/name"));

    final Map<String, Object> headless = m.named("Service", HEADLESS);
    assertThat(get(headless, "spec.clusterIP")).isEqualTo("None");
    assertThat(map(headless, "spec.selector")).isEqualTo(normalizerSelector);
    assertThat(list(headless, "spec.ports"))
        .singleElement()
        .satisfies(p -> assertThat(((Map<?, ?>) p).get("port")).isEqualTo(4317));

    final Map<String, Object> routerService = m.named("Service", ROUTER);
    assertThat(map(routerService, "spec.selector")).isEqualTo(routerSelector);
    assertThat(
            Manifests.<Map<String, Object>>list(routerService, "spec.ports").stream()
                .map(p -> p.get("name")))
        .contains("otlp-grpc", "otlp-http");

    final List<Map<String, Object>> volumes = list(map(router, "spec.template.spec"), "volumes");
    assertThat(volumes).anySatisfy(v -> assertThat(get(v, "configMap.name")).isEqualTo(ROUTER));
  }

  @Test
  void theRoutersConfigValidatesAndBalancesOverTheHeadlessService() throws Exception {
    final Manifests m = render();
    final String text = (String) get(m.named("ConfigMap", ROUTER), "data.[config.yaml]");
    final NormalizerConfig config =
        new ConfigLoader(ComponentRegistry.loadInstalled())
            .load(text, "two-tier router (rendered)", Map.of("MY_POD_IP", "127.0.0.1"));
    assertThat(config.service().pipelines().values())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.exporters()).containsExactly(ComponentId.of("loadbalancing"));
              assertThat(p.processors()).isEmpty();
            });
    assertThat(text)
        .contains("routing_key: traceID")
        .contains("hostname: " + HEADLESS + "." + ChartFixture.NAMESPACE + ".svc.cluster.local")
        .contains("port: 4317")
        .contains("interval: 5s");
  }

  @Test
  void offByDefault() {
    final Manifests m = ChartFixture.render(ChartFixture.ciCases().get("default"));
    assertThat(m.objects).noneMatch(Manifests::isRouter);
    assertThat(m.objects).noneMatch(o -> HEADLESS.equals(get(o, "metadata.name")));
  }
}
