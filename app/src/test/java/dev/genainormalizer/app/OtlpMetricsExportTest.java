package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service's metrics pushed over OTLP/HTTP to a local sink, in both temporalities: delta points
 * sum to the cumulative value, and both equal what Prometheus shows.
 */
class OtlpMetricsExportTest {
  private static final Duration WAIT = Await.TIMEOUT;

  @ParameterizedTest
  @ValueSource(strings = {"cumulative", "delta"})
  void usageAndSelfMetricsArriveInTheConfiguredTemporality(String temporality) throws Exception {
    final List<ExportMetricsServiceRequest> pushes = new CopyOnWriteArrayList<>();
    final List<String> authHeaders = new CopyOnWriteArrayList<>();
    final Server metricsSink =
        Server.builder()
            .http(0)
            .service(
                "/v1/metrics",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                agg -> {
                                  try {
                                    pushes.add(ExportMetricsServiceRequest.parseFrom(body(agg)));
                                    authHeaders.add(agg.headers().get("authorization", ""));
                                    return HttpResponse.of(
                                        HttpStatus.OK,
                                        MediaType.PROTOBUF,
                                        ExportMetricsServiceResponse.getDefaultInstance()
                                            .toByteArray());
                                  } catch (IOException e) {
                                    return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                  }
                                })))
            .build();
    metricsSink.start().join();
    final OtlpSink traces = new OtlpSink();
    try (RunningService service =
        new RunningService(
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc: { endpoint: 127.0.0.1:0 }",
                "      http: { endpoint: 127.0.0.1:0 }",
                "processors:",
                "  kong: {}",
                "  genai: {}",
                "exporters:",
                "  otlphttp:",
                "    endpoint: " + traces.httpBase(),
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [kong, genai]",
                "      exporters: [otlphttp]",
                "  telemetry:",
                "    admin: { endpoint: 127.0.0.1:0 }",
                "    metrics:",
                "      otlp:",
                "        endpoint: http://127.0.0.1:"
                    + metricsSink.activeLocalPort()
                    + "/v1/metrics",
                "        temporality: " + temporality,
                "        interval: 1s",
                "        headers: { authorization: Api-Token test-token }",
                ""))) {
      // Two rounds in different push intervals, so delta points really are split over time.
      send(service, "kong-3.13-chat.json");
      OtlpSink.await(
          WAIT,
          () -> requests(pushes, temporality) == 1,
          "the first request in the pushed metrics");
      send(service, "kong-3.13-traceparent.json");
      send(service, "kong-3.13-upstream-500.json");
      OtlpSink.await(
          WAIT, () -> requests(pushes, temporality) == 3, "three requests in the pushed metrics");
      OtlpSink.await(
          WAIT, () -> value(pushes, temporality, "otelcol.exporter.sent.spans") == 3, "sent spans");
      final List<PrometheusText.Sample> scraped = PrometheusText.parse(service.scrape());
      assertThat(PrometheusText.sum(scraped, "kong_ai_llm_requests_total", Map.of())).isEqualTo(3);
      // The requests and the tokens of one call are counted one after the other, and a push can
      // fall
      // in between: wait for the pushed tokens to catch up with the (settled) scraped ones.
      final double tokens = PrometheusText.sum(scraped, "kong_ai_llm_tokens_total", Map.of());
      OtlpSink.await(
          WAIT,
          () -> value(pushes, temporality, "kong.ai.llm.tokens") >= tokens,
          "the tokens pushed");
      assertThat(value(pushes, temporality, "kong.ai.llm.tokens")).isEqualTo(tokens);
      final AggregationTemporality expected =
          temporality.equals("delta")
              ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
              : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      assertThat(metrics(pushes, "kong.ai.llm.requests"))
          .allSatisfy(m -> assertThat(m.getSum().getAggregationTemporality()).isEqualTo(expected));
      assertThat(authHeaders).allSatisfy(h -> assertThat(h).isEqualTo("Api-Token test-token"));
      assertThat(pushes.get(0).getResourceMetrics(0).getResource().getAttributesList())
          .anySatisfy(
              kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("genai-normalizer"));
    } finally {
      traces.close();
      metricsSink.stop(); // not joined, as OtlpSink.close()
    }
  }

  /** Requests counted so far: the last point (cumulative) or the sum of every point (delta). */
  private static double requests(List<ExportMetricsServiceRequest> pushes, String temporality) {
    return value(pushes, temporality, "kong.ai.llm.requests");
  }

  private static double value(
      List<ExportMetricsServiceRequest> pushes, String temporality, String name) {
    if (temporality.equals("delta")) {
      double sum = 0;
      for (Metric m : metrics(pushes, name)) {
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          sum += p.getAsDouble();
        }
      }
      return sum;
    }
    // Cumulative: each push carries the running total of every series; take the latest push's.
    for (int i = pushes.size() - 1; i >= 0; i--) {
      final List<Metric> latest = metrics(List.of(pushes.get(i)), name);
      if (!latest.isEmpty()) {
        double sum = 0;
        for (Metric m : latest) {
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            sum += p.getAsDouble();
          }
        }
        return sum;
      }
    }
    return 0;
  }

  private static List<Metric> metrics(List<ExportMetricsServiceRequest> pushes, String name) {
    final List<Metric> out = new ArrayList<>();
    for (ExportMetricsServiceRequest push : pushes) {
      for (ResourceMetrics rm : push.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(name)) {
              out.add(m);
            }
          }
        }
      }
    }
    return out;
  }

  private static byte[] body(AggregatedHttpRequest req) throws IOException {
    final byte[] raw = req.content().array();
    if ("gzip".equals(req.headers().get("content-encoding"))) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  private static void send(RunningService service, String fixture) {
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
    assertThat(status).isEqualTo(200);
  }
}
