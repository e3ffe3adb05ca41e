package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import dev.genainormalizer.config.TelemetryConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code service.telemetry.*}: defaults, binding and validation messages. */
class TelemetryConfigTest {
  private static final String PIPELINE =
      String.join(
          "\n",
          "receivers:",
          "  otlp: {}",
          "exporters:",
          "  debug: {}",
          "service:",
          "  pipelines:",
          "    traces:",
          "      receivers: [otlp]",
          "      exporters: [debug]",
          "");

  private static NormalizerConfig load(String telemetry) throws ConfigException {
    return new ConfigLoader(ComponentRegistry.loadInstalled())
        .load(PIPELINE + "  telemetry:\n" + telemetry, "test", Map.of());
  }

  @Test
  void defaults() throws Exception {
    final TelemetryConfig t = load("    admin: { endpoint: 127.0.0.1:0 }\n").service().telemetry();
    assertThat(t.metrics().usageMetrics()).isTrue();
    assertThat(t.metrics().maxSeriesPerMetric()).isEqualTo(1000);
    assertThat(t.metrics().otlp().enabled()).isFalse();
    assertThat(t.metrics().otlp().temporality()).isEqualTo(TelemetryConfig.Temporality.CUMULATIVE);
    assertThat(t.metrics().otlp().interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(t.logs().format()).isEqualTo(TelemetryConfig.LogFormat.TEXT);
  }

  @Test
  void everyKeyBinds() throws Exception {
    final TelemetryConfig t =
        load(String.join(
                "\n",
                "    metrics:",
                "      usage_metrics: false",
                "      max_series_per_metric: 5",
                "      otlp:",
                "        endpoint: http://collector:4318/v1/metrics",
                "        temporality: delta",
                "        interval: 15s",
                "        headers: { authorization: Api-Token x }",
                "    logs: { format: json }",
                ""))
            .service()
            .telemetry();
    assertThat(t.metrics().usageMetrics()).isFalse();
    assertThat(t.metrics().maxSeriesPerMetric()).isEqualTo(5);
    assertThat(t.metrics().otlp().temporality()).isEqualTo(TelemetryConfig.Temporality.DELTA);
    assertThat(t.metrics().otlp().interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(t.metrics().otlp().headers().get("authorization").value()).isEqualTo("Api-Token x");
    assertThat(t.logs().format()).isEqualTo(TelemetryConfig.LogFormat.JSON);
  }

  @Test
  void badValuesAreReportedWithTheirPath() {
    assertThatThrownBy(
            () ->
                load(
                    String.join(
                        "\n",
                        "    metrics:",
                        "      max_series_per_metric: 0",
                        "      otlp: { endpoint: 'collector:4318', interval: 10ms }",
                        "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("service.telemetry.metrics.max_series_per_metric: 0 (expected: >= 1)")
        .hasMessageContaining(
            "service.telemetry.metrics.otlp.endpoint: collector:4318 (expected: an http or https URL)")
        .hasMessageContaining("service.telemetry.metrics.otlp.interval");
    assertThatThrownBy(() -> load("    logs: { format: xml }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("service.telemetry.logs.format");
    assertThatThrownBy(() -> load("    metrics: { otlp: { temporality: sometimes } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("temporality");
  }
}
