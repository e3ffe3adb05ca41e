package dev.genainormalizer.app;

import dev.genainormalizer.config.MeterSpec;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.semconv.GenAiAttributes;
import dev.genainormalizer.semconv.GenAiKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * LLM usage metrics counted from the Gen AI spans that leave a pipeline's processors: the OTel
 * GenAI client metrics and, for dashboards built on Kong's Prometheus plugin, the same {@code
 * kong_ai_llm_*} series Kong would show (same names, labels, buckets, and Kong's rule of counting
 * tokens and cost only when above zero). Every label that comes from span data goes through a
 * {@link SeriesLimiter}, so user-chosen values cannot grow the registry without bound; the meters
 * of each admitted label set are resolved once ({@link SeriesCache}), not per span.
 */
final class UsageMetrics {
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String TOKEN_USAGE_DESCRIPTION =
      "Input and output tokens ({token}) per Gen AI operation, when the span carries the count"
          + " (OTel GenAI semantic conventions; semconv buckets).";
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String OPERATION_DURATION_DESCRIPTION =
      "Duration of each Gen AI operation, from the Gen AI span's start and end (OTel GenAI semantic conventions).";
  static final String KONG_REQUESTS = "kong.ai.llm.requests";
  static final String KONG_REQUESTS_DESCRIPTION =
      "AI requests, one per Gen AI span (Kong's kong_ai_llm_requests_total).";
  static final String KONG_TOKENS = "kong.ai.llm.tokens";
  static final String KONG_TOKENS_DESCRIPTION =
      "Tokens by token_type (prompt_tokens, completion_tokens, total_tokens), counted when > 0"
          + " (Kong's kong_ai_llm_tokens_total).";
  static final String KONG_COST = "kong.ai.llm.cost";
  static final String KONG_COST_DESCRIPTION =
      "Cost from gen_ai.usage.cost (USD, from the genai processor's price table), counted when > 0"
          + " (Kong's kong_ai_llm_cost_total).";
  static final String KONG_LATENCY = "kong.ai.llm.provider.latency.ms";
  static final String KONG_LATENCY_DESCRIPTION =
      "Provider latency in milliseconds, the Gen AI span's duration floored to whole ms"
          + " (Kong's kong_ai_llm_provider_latency_ms histogram, Kong's buckets).";

  // The semconv metric attributes are named as the span attributes they come from.
  private static final String OPERATION = GenAiAttributes.OPERATION_NAME;
  private static final String PROVIDER = GenAiAttributes.PROVIDER_NAME;
  private static final String REQUEST_MODEL = GenAiAttributes.REQUEST_MODEL;
  private static final String RESPONSE_MODEL = GenAiAttributes.RESPONSE_MODEL;
  private static final String ERROR_TYPE = GenAiAttributes.ERROR_TYPE;
  private static final String TOKEN_TYPE = "gen_ai.token.type";
  private static final String KONG_WORKSPACE_NAME = "kong.workspace.name";
  private static final String KONG_WORKSPACE = "kong.workspace";
  private static final String KONG_CONSUMER_NAME = "kong.auth.consumer.name";
  private static final String KONG_CONSUMER = "kong.consumer";
  private static final String KONG_REQUEST_MODE = "kong.gen_ai.request.mode";
  private static final String REQUEST_STREAM = "gen_ai.request.stream";

  /** Every span attribute the metrics read, in one pass per span. */
  private static final AttributeReader SPAN_ATTRIBUTES =
      new AttributeReader(
          List.of(
              PROVIDER,
              GenAiAttributes.LEGACY_SYSTEM,
              REQUEST_MODEL,
              RESPONSE_MODEL,
              OPERATION,
              ERROR_TYPE,
              GenAiAttributes.USAGE_INPUT_TOKENS,
              GenAiAttributes.USAGE_OUTPUT_TOKENS,
              GenAiAttributes.USAGE_TOTAL_TOKENS,
              GenAiAttributes.USAGE_COST,
              KONG_WORKSPACE_NAME,
              KONG_WORKSPACE,
              KONG_CONSUMER_NAME,
              KONG_CONSUMER,
              KONG_REQUEST_MODE,
              REQUEST_STREAM));

  static final List<String> KONG_LABELS =
      List.of(
          "ai_provider",
          "ai_model",
          "cache_status",
          "vector_db",
          "embeddings_provider",
          "embeddings_model",
          "request_mode",
          "workspace",
          "consumer");
  static final List<String> KONG_TOKEN_LABELS =
      List.of(
          "ai_provider",
          "ai_model",
          "cache_status",
          "vector_db",
          "embeddings_provider",
          "embeddings_model",
          "token_type",
          "workspace",
          "consumer");

  /** Kong's provider latency buckets, in ms (kong/plugins/prometheus/exporter.lua). */
  static final double[] KONG_LATENCY_BUCKETS = {
    250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 10000, 30000, 60000
  };

  /** Bucket boundaries the GenAI semantic conventions advise for token usage. */
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** Bucket boundaries the GenAI semantic conventions advise for operation duration, in seconds. */
  static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  /** Every meter of the usage metrics, for {@code docs/telemetry.md}. */
  static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.histogram(
              TOKEN_USAGE,
              "",
              TOKEN_USAGE_DESCRIPTION,
              OPERATION,
              PROVIDER,
              REQUEST_MODEL,
              RESPONSE_MODEL,
              TOKEN_TYPE),
          MeterSpec.histogram(
              OPERATION_DURATION,
              "seconds",
              OPERATION_DURATION_DESCRIPTION,
              OPERATION,
              PROVIDER,
              REQUEST_MODEL,
              RESPONSE_MODEL,
              ERROR_TYPE),
          MeterSpec.counter(
              KONG_REQUESTS, "", KONG_REQUESTS_DESCRIPTION, KONG_LABELS.toArray(String[]::new)),
          MeterSpec.counter(
              KONG_TOKENS, "", KONG_TOKENS_DESCRIPTION, KONG_TOKEN_LABELS.toArray(String[]::new)),
          MeterSpec.counter(
              KONG_COST, "", KONG_COST_DESCRIPTION, KONG_LABELS.toArray(String[]::new)),
          MeterSpec.histogram(
              KONG_LATENCY, "", KONG_LATENCY_DESCRIPTION, KONG_LABELS.toArray(String[]::new)));

  private final MeterRegistry registry;
  private final SeriesCache<TokenUsageMeters> tokenUsageSeries;
  private final SeriesCache<DistributionSummary> durationSeries;
  private final SeriesCache<KongMeters> kongSeries;

  UsageMetrics(MeterRegistry registry, int maxSeriesPerMetric) {
    this.registry = registry;
    this.tokenUsageSeries = new SeriesCache<>(maxSeriesPerMetric, TokenUsageMeters::new);
    // Looked up only for a timed span, which it then records: registered with the entry.
    this.durationSeries = new SeriesCache<>(maxSeriesPerMetric, this::durationMeter);
    // The Kong metrics share their variable labels, so one limiter bounds all four alike.
    this.kongSeries = new SeriesCache<>(maxSeriesPerMetric, KongMeters::new);
  }

  /** Counts the Gen AI spans of a batch that left the processors. */
  void record(TraceBatch batch) {
    for (ResourceSpans rs : batch.request().getResourceSpansList()) {
      final List<KeyValue> resource = rs.getResource().getAttributesList();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (GenAiKind.isGenAi(span)) {
            record(span, resource);
          }
        }
      }
    }
  }

  private void record(Span span, List<KeyValue> resource) {
    final AttributeReader.Values a = SPAN_ATTRIBUTES.read(span.getAttributesList());
    final String provider = first(a.text(PROVIDER), a.text(GenAiAttributes.LEGACY_SYSTEM));
    final String requestModel = a.text(REQUEST_MODEL);
    final String responseModel = a.text(RESPONSE_MODEL);
    final String operation = a.text(OPERATION);
    final double input = a.number(GenAiAttributes.USAGE_INPUT_TOKENS);
    final double output = a.number(GenAiAttributes.USAGE_OUTPUT_TOKENS);
    double total = a.number(GenAiAttributes.USAGE_TOTAL_TOKENS);
    if (Double.isNaN(total) && !Double.isNaN(input) && !Double.isNaN(output)) {
      total = input + output;
    }
    final double cost = a.number(GenAiAttributes.USAGE_COST);
    final boolean timed =
        span.getEndTimeUnixNano() > 0 && span.getEndTimeUnixNano() >= span.getStartTimeUnixNano();
    final long durationNanos = timed ? span.getEndTimeUnixNano() - span.getStartTimeUnixNano() : -1;

    // OTel GenAI client metrics.
    final TokenUsageMeters genAi =
        tokenUsageSeries.get(List.of(operation, provider, requestModel, responseModel));
    recordTokens(genAi.input, input);
    recordTokens(genAi.output, output);
    if (timed) {
      durationSeries
          .get(List.of(operation, provider, requestModel, responseModel, a.text(ERROR_TYPE)))
          .record(durationNanos / 1e9);
    }

    // Kong-compatible series.
    final String workspace =
        first(
            a.text(KONG_WORKSPACE_NAME),
            a.text(KONG_WORKSPACE),
            text(resource, KONG_WORKSPACE_NAME),
            text(resource, KONG_WORKSPACE),
            "default");
    final String consumer = first(a.text(KONG_CONSUMER_NAME), a.text(KONG_CONSUMER), "");
    final String requestMode =
        first(
            a.text(KONG_REQUEST_MODE),
            "true".equals(a.text(REQUEST_STREAM)) ? "stream" : "oneshot");
    final KongMeters kong =
        kongSeries.get(List.of(provider, requestModel, requestMode, workspace, consumer));
    kong.requests.increment();
    recordKongTokens(kong.promptTokens, input);
    recordKongTokens(kong.completionTokens, output);
    recordKongTokens(kong.totalTokens, total);
    if (cost > 0) {
      kong.cost.get().increment(cost);
    }
    if (timed) {
      kong.latency.get().record(Math.floor(durationNanos / 1e6));
    }
  }

  private static void recordTokens(LazyMeter<DistributionSummary> meter, double count) {
    if (Double.isNaN(count) || count < 0) {
      return;
    }
    meter.get().record(count);
  }

  private static void recordKongTokens(LazyMeter<Counter> meter, double count) {
    if (Double.isNaN(count) || count <= 0) {
      return;
    }
    meter.get().increment(count);
  }

  private DistributionSummary durationMeter(List<String> d) {
    return DistributionSummary.builder(OPERATION_DURATION)
        .description(OPERATION_DURATION_DESCRIPTION)
        .baseUnit("seconds")
        .serviceLevelObjectives(DURATION_BUCKETS)
        .tags(
            Tags.of(
                OPERATION,
                d.get(0),
                PROVIDER,
                d.get(1),
                REQUEST_MODEL,
                d.get(2),
                RESPONSE_MODEL,
                d.get(3),
                ERROR_TYPE,
                d.get(4)))
        .register(registry);
  }

  /**
   * The token usage histograms of one admitted (operation, provider, request and response model).
   */
  private final class TokenUsageMeters {
    final LazyMeter<DistributionSummary> input;
    final LazyMeter<DistributionSummary> output;

    TokenUsageMeters(List<String> labels) {
      this.input = new LazyMeter<>(() -> tokenUsage(labels, "input"));
      this.output = new LazyMeter<>(() -> tokenUsage(labels, "output"));
    }

    private DistributionSummary tokenUsage(List<String> labels, String type) {
      return DistributionSummary.builder(TOKEN_USAGE)
          .description(TOKEN_USAGE_DESCRIPTION)
          .serviceLevelObjectives(TOKEN_BUCKETS)
          .tags(
              Tags.of(
                  OPERATION,
                  labels.get(0),
                  PROVIDER,
                  labels.get(1),
                  REQUEST_MODEL,
                  labels.get(2),
                  RESPONSE_MODEL,
                  labels.get(3),
                  TOKEN_TYPE,
                  type))
          .register(registry);
    }
  }

  /**
   * The Kong-compatible meters of one admitted (provider, model, request mode, workspace,
   * consumer). Requests are counted for every span, so that counter is registered with the entry.
   */
  private final class KongMeters {
    final Counter requests;
    final LazyMeter<Counter> promptTokens;
    final LazyMeter<Counter> completionTokens;
    final LazyMeter<Counter> totalTokens;
    final LazyMeter<Counter> cost;
    final LazyMeter<DistributionSummary> latency;

    KongMeters(List<String> k) {
      final Tags kong = kongTags(k, k.get(2));
      this.requests =
          Counter.builder(KONG_REQUESTS)
              .description(KONG_REQUESTS_DESCRIPTION)
              .tags(kong)
              .register(registry);
      this.promptTokens = new LazyMeter<>(() -> kongTokens(k, "prompt_tokens"));
      this.completionTokens = new LazyMeter<>(() -> kongTokens(k, "completion_tokens"));
      this.totalTokens = new LazyMeter<>(() -> kongTokens(k, "total_tokens"));
      this.cost =
          new LazyMeter<>(
              () ->
                  Counter.builder(KONG_COST)
                      .description(KONG_COST_DESCRIPTION)
                      .tags(kong)
                      .register(registry));
      this.latency =
          new LazyMeter<>(
              () ->
                  DistributionSummary.builder(KONG_LATENCY)
                      .description(KONG_LATENCY_DESCRIPTION)
                      .serviceLevelObjectives(KONG_LATENCY_BUCKETS)
                      .tags(kong)
                      .register(registry));
    }

    private Counter kongTokens(List<String> k, String type) {
      final List<String> values =
          List.of(k.get(0), k.get(1), "", "", "", "", type, k.get(3), k.get(4));
      Tags tags = Tags.empty();
      for (int i = 0; i < KONG_TOKEN_LABELS.size(); i++) {
        tags = tags.and(KONG_TOKEN_LABELS.get(i), values.get(i));
      }
      return Counter.builder(KONG_TOKENS)
          .description(KONG_TOKENS_DESCRIPTION)
          .tags(tags)
          .register(registry);
    }
  }

  private static Tags kongTags(List<String> k, String requestMode) {
    // No semantic cache or embeddings stage is visible in spans: Kong writes "" in those labels
    // too.
    return Tags.of(
        "ai_provider",
        k.get(0),
        "ai_model",
        k.get(1),
        "cache_status",
        "",
        "vector_db",
        "",
        "embeddings_provider",
        "",
        "embeddings_model",
        "",
        "request_mode",
        requestMode,
        "workspace",
        k.get(3),
        "consumer",
        k.get(4));
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return "";
  }

  /** A scalar as text, "" when absent: the label value of a missing attribute. */
  private static String text(List<KeyValue> attributes, String key) {
    return AnyValues.scalarText(attributes, key).orElse("");
  }
}
