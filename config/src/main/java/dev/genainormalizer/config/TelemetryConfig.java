package dev.genainormalizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code service.telemetry}: where the admin server listens, the service's own metrics (LLM usage
 * metrics, optional OTLP push) and the log format.
 */
public record TelemetryConfig(AdminConfig admin, MetricsConfig metrics, LogsConfig logs) {
  public TelemetryConfig {
    admin = admin == null ? AdminConfig.defaults() : admin;
    metrics = metrics == null ? MetricsConfig.defaults() : metrics;
    logs = logs == null ? LogsConfig.defaults() : logs;
  }

  /** Kept for code written before the metrics and logs blocks existed. */
  public TelemetryConfig(AdminConfig admin) {
    this(admin, null, null);
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(
        AdminConfig.defaults(), MetricsConfig.defaults(), LogsConfig.defaults());
  }

  /**
   * {@code service.telemetry.admin}: {@code /}, {@code /status.json}, {@code /healthz}, {@code
   * /readyz}, {@code /metrics}.
   *
   * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}: the port
   *     has no authentication, so, as the Collector does for its own telemetry and health_check, it
   *     answers only on this host unless the config says otherwise (the Helm chart and the built-in
   *     default config do, so that probes, Prometheus and {@code docker run -p} reach it)
   * @param showContent whether the status page shows prompt and completion text (message
   *     attributes); default false: they are shown as {@code [CONTENT HIDDEN]}
   */
  public record AdminConfig(String endpoint, Boolean showContent) {
    public static final String DEFAULT_ENDPOINT = "localhost:8888";

    public AdminConfig {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      showContent = showContent == null ? Boolean.FALSE : showContent;
    }

    public static AdminConfig defaults() {
      return new AdminConfig(DEFAULT_ENDPOINT, false);
    }
  }

  /**
   * {@code service.telemetry.metrics}.
   *
   * @param usageMetrics whether each pipeline counts the LLM usage of the Gen AI spans that leave
   *     its processors ({@code gen_ai.client.*} and Kong-compatible {@code kong_ai_llm_*}); default
   *     true
   * @param maxSeriesPerMetric label combinations one usage metric may hold; further combinations
   *     are counted under the label value {@code other}; default 1000
   * @param otlp push every metric to an OTLP/HTTP metrics endpoint; off while its endpoint is empty
   */
  public record MetricsConfig(
      Boolean usageMetrics, Integer maxSeriesPerMetric, OtlpMetricsConfig otlp)
      implements Validatable {
    public static final int DEFAULT_MAX_SERIES_PER_METRIC = 1000;

    public MetricsConfig {
      usageMetrics = usageMetrics == null ? Boolean.TRUE : usageMetrics;
      maxSeriesPerMetric =
          maxSeriesPerMetric == null ? DEFAULT_MAX_SERIES_PER_METRIC : maxSeriesPerMetric;
      otlp = otlp == null ? OtlpMetricsConfig.defaults() : otlp;
    }

    public static MetricsConfig defaults() {
      return new MetricsConfig(null, null, null);
    }

    @Override
    public List<String> validate() {
      return maxSeriesPerMetric < 1
          ? List.of("max_series_per_metric: " + maxSeriesPerMetric + " (expected: >= 1)")
          : List.of();
    }
  }

  /** How OTLP metric points relate over time; Dynatrace ingests only {@code delta}. */
  public enum Temporality {
    @JsonProperty("cumulative")
    CUMULATIVE,
    @JsonProperty("delta")
    DELTA
  }

  /**
   * {@code service.telemetry.metrics.otlp}.
   *
   * @param endpoint full URL metrics are POSTed to as OTLP/HTTP protobuf (e.g. {@code
   *     http://collector:4318/v1/metrics}); empty (the default) disables the push
   * @param temporality {@code cumulative} (default) or {@code delta}
   * @param interval how often metrics are pushed; default 60s
   * @param headers added to every request; values are secrets
   */
  public record OtlpMetricsConfig(
      String endpoint, Temporality temporality, Duration interval, Map<String, Secret> headers)
      implements Validatable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    public OtlpMetricsConfig {
      endpoint = endpoint == null ? "" : endpoint.trim();
      temporality = temporality == null ? Temporality.CUMULATIVE : temporality;
      interval = interval == null ? DEFAULT_INTERVAL : interval;
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static OtlpMetricsConfig defaults() {
      return new OtlpMetricsConfig(null, null, null, null);
    }

    public boolean enabled() {
      return !endpoint.isEmpty();
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (!endpoint.isEmpty()) {
        final String shown = Redaction.url(endpoint);
        try {
          final URI uri = new URI(endpoint);
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
              || uri.getHost() == null) {
            errors.add("endpoint: " + shown + " (expected: an http or https URL)");
          }
        } catch (URISyntaxException e) {
          errors.add("endpoint: " + shown + " (expected: an http or https URL)");
        }
        EndpointCredentials.check("endpoint", endpoint, EndpointCredentials.IN_HEADERS)
            .ifPresent(errors::add);
      }
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        errors.add("interval: " + interval + " (expected: >= 1s)");
      }
      return errors;
    }
  }

  /** The format of the service's log lines on stderr. */
  public enum LogFormat {
    @JsonProperty("text")
    TEXT,
    @JsonProperty("json")
    JSON
  }

  /**
   * {@code service.telemetry.logs}: {@code format: text} (default) or {@code json}, one object a
   * line.
   */
  public record LogsConfig(LogFormat format) {
    public LogsConfig {
      format = format == null ? LogFormat.TEXT : format;
    }

    public static LogsConfig defaults() {
      return new LogsConfig(LogFormat.TEXT);
    }
  }
}
