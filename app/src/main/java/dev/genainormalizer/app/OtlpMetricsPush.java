package dev.genainormalizer.app;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TelemetryConfig.OtlpMetricsConfig;
import dev.genainormalizer.config.TelemetryConfig.Temporality;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushes every meter to an OTLP/HTTP metrics endpoint ({@code service.telemetry.metrics.otlp}),
 * cumulative or delta, on the configured interval. Micrometer's OTLP registry does the encoding.
 */
final class OtlpMetricsPush {
  private OtlpMetricsPush() {}

  static OtlpMeterRegistry registry(OtlpMetricsConfig config, String version, Clock clock) {
    final Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Secret> h : config.headers().entrySet()) {
      headers.put(h.getKey(), h.getValue().value());
    }
    final OtlpConfig otlp =
        new OtlpConfig() {
          @Override
          public String get(String key) {
            return null;
          }

          @Override
          public String url() {
            return config.endpoint();
          }

          @Override
          public Duration step() {
            return config.interval();
          }

          @Override
          public AggregationTemporality aggregationTemporality() {
            return config.temporality() == Temporality.DELTA
                ? AggregationTemporality.DELTA
                : AggregationTemporality.CUMULATIVE;
          }

          @Override
          public Map<String, String> headers() {
            return headers;
          }

          @Override
          public Map<String, String> resourceAttributes() {
            return Map.of("service.name", "genai-normalizer", "service.version", version);
          }
        };
    return new OtlpMeterRegistry(otlp, clock);
  }
}
