package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.semconv.GenAiKind;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LLM usage metrics after known traffic: the Kong-compatible series equal the lines Kong's
 * Prometheus plugin shows for the same request (its spec's lines, with this request's values), and
 * tokens, requests, drops and sent spans add up exactly with what reached the backend.
 */
class UsageMetricsEndToEndTest {
  private static final Duration WAIT = Await.TIMEOUT;

  /** Kong's label set in its spec (3.10); 3.12+ add request_mode (not on tokens) and consumer. */
  private static final String KONG_LABELS =
      "ai_provider=\"openai\",ai_model=\"gpt-4o-mini\",cache_status=\"\",vector_db=\"\","
          + "embeddings_provider=\"\",embeddings_model=\"\"";

  private OtlpSink sink;
  private RunningService service;

  @BeforeEach
  void start() {
    sink = new OtlpSink();
    service =
        new RunningService(
            TestConfig.builder()
                .grpc("127.0.0.1:0")
                .processor("kong")
                .processor("genai")
                .exporter("otlphttp", "endpoint: " + sink.httpBase())
                .yaml());
  }

  @AfterEach
  void stop() {
    service.close();
    sink.close();
  }

  @Test
  void kongCompatibleSeriesEqualWhatKongShowsForTheSameRequest() {
    send("kong-3.13-chat.json");
    OtlpSink.await(WAIT, () -> sink.spanCount() == 1, "the Gen AI span at the sink");
    final Span genAi = genAiSpans().get(0);
    final long latencyMs = (genAi.getEndTimeUnixNano() - genAi.getStartTimeUnixNano()) / 1_000_000;
    // kong.md §6 (Kong's spec/03-plugins/26-prometheus/02-access_spec.lua), with the kong_ prefix
    // Kong's exporter adds, and this request's numbers: 25 prompt + 8 completion tokens, and the
    // cost of gpt-4o-mini at $0.15 / $0.60 per million tokens.
    final List<String> kongLines =
        List.of(
            "kong_ai_llm_requests_total{" + KONG_LABELS + ",workspace=\"default\"} 1",
            "kong_ai_llm_cost_total{" + KONG_LABELS + ",workspace=\"default\"} 0.00000855",
            "kong_ai_llm_provider_latency_ms_bucket{"
                + KONG_LABELS
                + ",workspace=\"default\",le=\"+Inf\"} 1",
            "kong_ai_llm_provider_latency_ms_count{" + KONG_LABELS + ",workspace=\"default\"} 1",
            "kong_ai_llm_provider_latency_ms_sum{"
                + KONG_LABELS
                + ",workspace=\"default\"} "
                + latencyMs,
            "kong_ai_llm_tokens_total{"
                + KONG_LABELS
                + ",token_type=\"completion_tokens\",workspace=\"default\"} 8",
            "kong_ai_llm_tokens_total{"
                + KONG_LABELS
                + ",token_type=\"prompt_tokens\",workspace=\"default\"} 25",
            "kong_ai_llm_tokens_total{"
                + KONG_LABELS
                + ",token_type=\"total_tokens\",workspace=\"default\"} 33");
    final List<PrometheusText.Sample> scraped = PrometheusText.parse(service.scrape());
    for (String line : kongLines) {
      final PrometheusText.Sample expected = PrometheusText.line(line);
      final List<PrometheusText.Sample> matching =
          scraped.stream()
              .filter(s -> s.name().equals(expected.name()) && s.has(expected.labels()))
              .toList();
      assertThat(matching).as(line).hasSize(1);
      final PrometheusText.Sample actual = matching.get(0);
      assertThat(actual.value()).as(line).isCloseTo(expected.value(), within(1e-12));
      // Exactly Kong 3.12+'s labels: request_mode on all but the tokens metric, and consumer.
      final Set<String> extra = new java.util.HashSet<>(actual.labels().keySet());
      extra.removeAll(expected.labels().keySet());
      assertThat(extra)
          .as(line)
          .isEqualTo(
              expected.name().startsWith("kong_ai_llm_tokens")
                  ? Set.of("consumer")
                  : Set.of("request_mode", "consumer"));
      assertThat(actual.labels()).containsEntry("consumer", "");
      if (!expected.name().startsWith("kong_ai_llm_tokens")) {
        assertThat(actual.labels()).containsEntry("request_mode", "oneshot");
      }
    }
    // Kong's latency buckets, each boundary present.
    final List<String> buckets =
        scraped.stream()
            .filter(s -> s.name().equals("kong_ai_llm_provider_latency_ms_bucket"))
            .map(s -> s.labels().get("le"))
            .toList();
    assertThat(buckets)
        .containsExactly(
            "250.0", "500.0", "1000.0", "1500.0", "2000.0", "2500.0", "3000.0", "3500.0", "4000.0",
            "4500.0", "5000.0", "10000.0", "30000.0", "60000.0", "+Inf");
    // The OTel GenAI metrics of the same request.
    final Map<String, String> genAiLabels =
        Map.of(
            "gen_ai_operation_name",
            "chat",
            "gen_ai_provider_name",
            "openai",
            "gen_ai_request_model",
            "gpt-4o-mini",
            "gen_ai_response_model",
            "gpt-4o-mini-2024-07-18");
    assertThat(
            PrometheusText.sum(
                scraped,
                "gen_ai_client_token_usage_sum",
                with(genAiLabels, "gen_ai_token_type", "input")))
        .isEqualTo(25);
    assertThat(
            PrometheusText.sum(
                scraped,
                "gen_ai_client_token_usage_sum",
                with(genAiLabels, "gen_ai_token_type", "output")))
        .isEqualTo(8);
    assertThat(
            PrometheusText.sum(
                scraped, "gen_ai_client_operation_duration_seconds_count", genAiLabels))
        .isEqualTo(1);
    assertThat(
            PrometheusText.sum(
                scraped, "gen_ai_client_operation_duration_seconds_sum", genAiLabels))
        .isCloseTo((genAi.getEndTimeUnixNano() - genAi.getStartTimeUnixNano()) / 1e9, within(1e-9));
  }

  @Test
  void tokensRequestsDropsAndSentSpansAddUpAfterEveryFixture() {
    int spansIn = 0;
    for (String name : TestTraces.KONG_FIXTURES) {
      send(name);
      spansIn += TraceBatch.countSpans(TestTraces.fixture(name));
    }
    final int expectedOut = TestTraces.KONG_FIXTURES.size(); // one Gen AI span per Kong request
    OtlpSink.await(WAIT, () -> sink.spanCount() == expectedOut, expectedOut + " spans at the sink");
    final int in = spansIn;
    OtlpSink.await(
        WAIT,
        () ->
            PrometheusText.sum(
                    PrometheusText.parse(service.scrape()),
                    "otelcol_exporter_sent_spans_total",
                    Map.of())
                == expectedOut,
        "sent spans counted");
    final List<PrometheusText.Sample> scraped = PrometheusText.parse(service.scrape());
    final List<Span> atSink = genAiSpans();
    long input = 0;
    long output = 0;
    for (Span s : atSink) {
      input += AnyValues.asLong(s.getAttributesList(), "gen_ai.usage.input_tokens").orElse(0);
      output += AnyValues.asLong(s.getAttributesList(), "gen_ai.usage.output_tokens").orElse(0);
    }
    assertThat(input).isEqualTo(50); // chat and traceparent: 25 each; the upstream 500 has none
    assertThat(output).isEqualTo(16);
    assertThat(PrometheusText.sum(scraped, "kong_ai_llm_requests_total", Map.of()))
        .isEqualTo(atSink.size());
    assertThat(
            PrometheusText.sum(
                scraped, "kong_ai_llm_tokens_total", Map.of("token_type", "prompt_tokens")))
        .isEqualTo(input);
    assertThat(
            PrometheusText.sum(
                scraped, "kong_ai_llm_tokens_total", Map.of("token_type", "completion_tokens")))
        .isEqualTo(output);
    assertThat(
            PrometheusText.sum(
                scraped, "kong_ai_llm_tokens_total", Map.of("token_type", "total_tokens")))
        .isEqualTo(input + output);
    assertThat(
            PrometheusText.sum(
                scraped, "gen_ai_client_token_usage_sum", Map.of("gen_ai_token_type", "input")))
        .isEqualTo(input);
    assertThat(PrometheusText.sum(scraped, "otelcol_receiver_accepted_spans_total", Map.of()))
        .isEqualTo(in);
    assertThat(PrometheusText.sum(scraped, "otelcol_exporter_sent_spans_total", Map.of()))
        .isEqualTo(expectedOut);
    assertThat(
            PrometheusText.sum(scraped, "genai_normalizer_processor_dropped_spans_total", Map.of()))
        .as("every span in is either sent or dropped with a reason")
        .isEqualTo(in - expectedOut);
    assertThat(
            PrometheusText.sum(
                scraped,
                "genai_normalizer_processor_dropped_spans_total",
                Map.of("reason", "infrastructure")))
        .isEqualTo(in - expectedOut);
  }

  @Test
  void labelsFromSpanDataAreCappedWithAnOverflowValue() {
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    final UsageMetrics usage = new UsageMetrics(registry, 2);
    for (int i = 0; i < 5; i++) {
      usage.record(genAiBatch("model-" + i));
    }
    final List<String> models =
        registry.find(UsageMetrics.KONG_REQUESTS).counters().stream()
            .map(c -> c.getId().getTag("ai_model"))
            .sorted()
            .toList();
    assertThat(models).containsExactly("model-0", "model-1", "other");
    assertThat(registry.find(UsageMetrics.KONG_REQUESTS).tag("ai_model", "other").counter().count())
        .isEqualTo(3);
  }

  private static TraceBatch genAiBatch(String model) {
    final Span span =
        Span.newBuilder()
            .setName("chat " + model)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_500_000_000L)
            .addAttributes(kv("gen_ai.operation.name", model.isEmpty() ? "chat" : "chat"))
            .addAttributes(kv("gen_ai.provider.name", "openai"))
            .addAttributes(kv("gen_ai.request.model", model))
            .build();
    return new TraceBatch(
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build(),
        1);
  }

  private static io.opentelemetry.proto.common.v1.KeyValue kv(String key, String value) {
    return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
        .setKey(key)
        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    final Map<String, String> out = new LinkedHashMap<>(labels);
    out.put(key, value);
    return out;
  }

  private List<Span> genAiSpans() {
    final List<Span> out = new ArrayList<>();
    for (OtlpSink.Received r : sink.received()) {
      for (ResourceSpans rs : r.request().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            if (GenAiKind.isGenAi(s)) {
              out.add(s);
            }
          }
        }
      }
    }
    return out;
  }

  private void send(String fixture) {
    final int status =
        WebClient.of()
            .execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.JSON)
                    .build(),
                HttpData.wrap(TestTraces.fixtureBytes(fixture)))
            .aggregate()
            .join()
            .status()
            .code();
    assertThat(status).as(fixture).isEqualTo(200);
  }
}
