package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The usage meters of a label set, resolved once and kept, appear exactly when they have a value.
 */
class UsageMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UsageMetrics usage = new UsageMetrics(registry, 1000);

  @Test
  void aSeriesAppearsOnlyOnceItHasAValueAndLaterSpansAddToTheSameMeter() {
    usage.record(batch(span("gpt-4o").build()));
    assertThat(names()).containsExactly(UsageMetrics.KONG_REQUESTS);

    usage.record(
        batch(
            span("gpt-4o")
                .setStartTimeUnixNano(1_000_000_000L)
                .setEndTimeUnixNano(1_750_000_000L)
                .addAttributes(kv("gen_ai.usage.input_tokens", 25))
                .addAttributes(kv("gen_ai.usage.output_tokens", 8))
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("gen_ai.usage.cost")
                        .setValue(AnyValue.newBuilder().setDoubleValue(0.5)))
                .build()));
    usage.record(batch(span("gpt-4o").addAttributes(kv("gen_ai.usage.input_tokens", 5)).build()));

    assertThat(names())
        .containsExactlyInAnyOrder(
            UsageMetrics.KONG_REQUESTS,
            UsageMetrics.KONG_TOKENS,
            UsageMetrics.KONG_COST,
            UsageMetrics.KONG_LATENCY,
            UsageMetrics.TOKEN_USAGE,
            UsageMetrics.OPERATION_DURATION);
    assertThat(registry.get(UsageMetrics.KONG_REQUESTS).counter().count()).isEqualTo(3);
    assertThat(
            registry
                .get(UsageMetrics.KONG_TOKENS)
                .tag("token_type", "prompt_tokens")
                .counter()
                .count())
        .isEqualTo(30);
    assertThat(
            registry
                .get(UsageMetrics.KONG_TOKENS)
                .tag("token_type", "total_tokens")
                .counter()
                .count())
        .isEqualTo(33);
    assertThat(registry.get(UsageMetrics.KONG_COST).counter().count()).isEqualTo(0.5);
    final DistributionSummary input =
        registry.get(UsageMetrics.TOKEN_USAGE).tag("gen_ai.token.type", "input").summary();
    assertThat(input.count()).isEqualTo(2);
    assertThat(input.totalAmount()).isEqualTo(30);
    assertThat(registry.get(UsageMetrics.OPERATION_DURATION).summary().totalAmount())
        .isEqualTo(0.75);
    assertThat(registry.get(UsageMetrics.KONG_LATENCY).summary().totalAmount()).isEqualTo(750);
  }

  @Test
  void metersKeepTheirDescriptionsUnitsTagsAndBuckets() {
    usage.record(
        batch(
            span("gpt-4o")
                .setStartTimeUnixNano(1_000_000_000L)
                .setEndTimeUnixNano(1_500_000_000L)
                .addAttributes(kv("gen_ai.usage.input_tokens", 25))
                .build()));
    final DistributionSummary duration = registry.get(UsageMetrics.OPERATION_DURATION).summary();
    assertThat(duration.getId().getDescription())
        .isEqualTo(UsageMetrics.OPERATION_DURATION_DESCRIPTION);
    assertThat(duration.getId().getBaseUnit()).isEqualTo("seconds");
    assertThat(duration.getId().getTags())
        .extracting(t -> t.getKey())
        .containsExactlyInAnyOrder(
            "gen_ai.operation.name",
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.response.model",
            "error.type");
    assertThat(buckets(duration)).containsExactly(UsageMetrics.DURATION_BUCKETS);
    final DistributionSummary tokens = registry.get(UsageMetrics.TOKEN_USAGE).summary();
    assertThat(tokens.getId().getDescription()).isEqualTo(UsageMetrics.TOKEN_USAGE_DESCRIPTION);
    assertThat(buckets(tokens)).containsExactly(UsageMetrics.TOKEN_BUCKETS);
    final DistributionSummary latency = registry.get(UsageMetrics.KONG_LATENCY).summary();
    assertThat(latency.getId().getDescription()).isEqualTo(UsageMetrics.KONG_LATENCY_DESCRIPTION);
    assertThat(buckets(latency)).containsExactly(UsageMetrics.KONG_LATENCY_BUCKETS);
    assertThat(latency.getId().getTags())
        .extracting(t -> t.getKey())
        .containsExactlyInAnyOrderElementsOf(UsageMetrics.KONG_LABELS);
    final Counter tokensTotal = registry.get(UsageMetrics.KONG_TOKENS).counter();
    assertThat(tokensTotal.getId().getDescription())
        .isEqualTo(UsageMetrics.KONG_TOKENS_DESCRIPTION);
    assertThat(tokensTotal.getId().getTags())
        .extracting(t -> t.getKey())
        .containsExactlyInAnyOrderElementsOf(UsageMetrics.KONG_TOKEN_LABELS);
  }

  @Test
  void overflowingLabelSetsCountOnTheOverflowSeries() {
    final UsageMetrics capped = new UsageMetrics(registry, 1);
    for (int i = 0; i < 4; i++) {
      capped.record(
          batch(span("model-" + i).addAttributes(kv("gen_ai.usage.input_tokens", 10)).build()));
    }
    assertThat(
            registry.get(UsageMetrics.KONG_REQUESTS).tag("ai_model", "model-0").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(UsageMetrics.KONG_REQUESTS).tag("ai_model", "other").counter().count())
        .isEqualTo(3);
    assertThat(
            registry
                .get(UsageMetrics.TOKEN_USAGE)
                .tag("gen_ai.request.model", "other")
                .summary()
                .totalAmount())
        .isEqualTo(30);
    assertThat(registry.find(UsageMetrics.KONG_REQUESTS).counters()).hasSize(2);
  }

  private List<String> names() {
    // The simple registry shows each summary's buckets as a gauge of its own, named
    // "<name>.histogram".
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(Meter.Id::getName)
        .filter(name -> !name.endsWith(".histogram"))
        .distinct()
        .toList();
  }

  private static double[] buckets(DistributionSummary summary) {
    return Arrays.stream(summary.takeSnapshot().histogramCounts())
        .mapToDouble(CountAtBucket::bucket)
        .toArray();
  }

  private static Span.Builder span(String model) {
    return Span.newBuilder()
        .setName("chat " + model)
        .addAttributes(kv("gen_ai.operation.name", "chat"))
        .addAttributes(kv("gen_ai.provider.name", "openai"))
        .addAttributes(kv("gen_ai.request.model", model));
  }

  private static TraceBatch batch(Span span) {
    return new TraceBatch(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build(),
        1);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
