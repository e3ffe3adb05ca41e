package dev.genainormalizer.app;

import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TelemetryConfig.OtlpMetricsConfig;
import dev.genainormalizer.config.TelemetryConfig.Temporality;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushes every meter to an OTLP/HTTP metrics endpoint ({@code service.telemetry.metrics.otlp}),
 * cumulative or delta, on the configured interval. Micrometer's OTLP registry does the encoding.
 *
 * <p>Micrometer prints its configured URL in its start line and in the WARN it logs at every failed
 * push, so it is given the URL redacted ({@link Redaction#url}); the sender posts to the real one.
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
            return Redaction.url(config.endpoint());
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
    return OtlpMeterRegistry.builder(otlp)
        .clock(clock)
        .metricsSender(new RealUrlSender(config.endpoint()))
        .build();
  }

  /** Posts to the real URL whatever address Micrometer hands over, and keeps it out of failures. */
  private static final class RealUrlSender implements OtlpMetricsSender {
    private final OtlpMetricsSender http = new OtlpHttpMetricsSender(new HttpUrlConnectionSender());
    private final String url;

    RealUrlSender(String url) {
      this.url = url;
    }

    @Override
    public void send(Request request) throws Exception {
      final Request real =
          Request.builder(request.getMetricsData())
              .address(url)
              .headers(request.getHeaders())
              .compressionMode(request.getCompressionMode())
              .build();
      try {
        http.send(real);
      } catch (Exception e) {
        // Micrometer logs this with its stack trace: the JDK's messages can quote the URL
        final Exception shown = new Exception(Redaction.urlsIn(e.toString()));
        shown.setStackTrace(e.getStackTrace());
        throw shown;
      }
    }
  }
}
