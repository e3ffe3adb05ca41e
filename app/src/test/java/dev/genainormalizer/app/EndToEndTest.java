package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running service between real clients and a real OTLP backend, with no processors: what goes
 * in over any transport and encoding comes out unchanged over both OTLP exporters.
 */
class EndToEndTest {
  private static final Duration WAIT = Await.TIMEOUT;

  private OtlpSink sink;
  private RunningService service;

  @BeforeEach
  void start() {
    sink = new OtlpSink();
    service =
        new RunningService(
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc: { endpoint: 127.0.0.1:0 }",
                "      http: { endpoint: 127.0.0.1:0 }",
                "exporters:",
                // one request out per request in, so that each can be compared with its original
                "  otlphttp/sink:",
                "    endpoint: " + sink.httpBase(),
                "    sending_queue: { batch: { enabled: false } }",
                "  otlp/sink:",
                "    endpoint: " + sink.grpcEndpoint(),
                "    sending_queue: { batch: { enabled: false } }",
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      exporters: [otlphttp/sink, otlp/sink]",
                "  telemetry:",
                "    admin: { endpoint: 127.0.0.1:0 }",
                ""));
  }

  @AfterEach
  void stop() {
    service.close();
    sink.close();
  }

  @Test
  void everyFixtureInEveryEncodingAndTransportArrivesUnchangedAtBothExporters() {
    final WebClient http = WebClient.of();
    final TraceServiceGrpc.TraceServiceBlockingStub grpc =
        GrpcClients.newClient(service.grpcUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    int sent = 0;
    for (String name : TestTraces.KONG_FIXTURES) {
      final ExportTraceServiceRequest request = TestTraces.fixture(name);
      final AggregatedHttpResponse proto =
          http.execute(
                  RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                      .contentType(MediaType.PROTOBUF)
                      .build(),
                  com.linecorp.armeria.common.HttpData.wrap(request.toByteArray()))
              .aggregate()
              .join();
      assertThat(proto.status().code()).as(name + " protobuf").isEqualTo(200);
      final AggregatedHttpResponse json =
          http.execute(
                  RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                      .contentType(MediaType.JSON)
                      .build(),
                  com.linecorp.armeria.common.HttpData.wrap(TestTraces.fixtureBytes(name)))
              .aggregate()
              .join();
      assertThat(json.status().code()).as(name + " json").isEqualTo(200);
      assertThat(json.contentType().is(MediaType.JSON)).isTrue();
      final ExportTraceServiceResponse viaGrpc = grpc.export(request);
      assertThat(viaGrpc.hasPartialSuccess()).isFalse();
      sent += 3;
    }
    final int expected = sent;
    OtlpSink.await(
        WAIT, () -> sink.received().size() == expected * 2, expected * 2 + " exports at the sink");
    for (String name : TestTraces.KONG_FIXTURES) {
      final ExportTraceServiceRequest request = TestTraces.fixture(name);
      assertThat(sink.received().stream().filter(r -> r.request().equals(request)))
          .as(name + " at the sink")
          .extracting(OtlpSink.Received::transport)
          .containsExactlyInAnyOrder("http", "http", "http", "grpc", "grpc", "grpc");
    }
  }

  @Test
  void spansFromTheOpenTelemetrySdkExportersArrive() throws Exception {
    final List<SpanExporter> exporters =
        List.of(
            OtlpHttpSpanExporter.builder().setEndpoint(service.httpTracesUrl()).build(),
            OtlpHttpSpanExporter.builder()
                .setEndpoint(service.httpTracesUrl())
                .setCompression("gzip")
                .build(),
            OtlpGrpcSpanExporter.builder().setEndpoint(service.grpcUri()).build(),
            OtlpGrpcSpanExporter.builder()
                .setEndpoint(service.grpcUri())
                .setCompression("gzip")
                .build());
    int i = 0;
    for (SpanExporter exporter : exporters) {
      final SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.getDefault().toBuilder().put("service.name", "sdk-client").build())
              .addSpanProcessor(SimpleSpanProcessor.create(exporter))
              .build();
      final Tracer tracer = provider.get("e2e");
      final Span span =
          tracer
              .spanBuilder("sdk span " + i)
              .setAttribute(AttributeKey.longKey("n"), i)
              .startSpan();
      span.end();
      final CompletableResultCode flushed =
          provider.forceFlush().join(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("exporter " + i + " succeeded").isTrue();
      provider.shutdown().join(WAIT.toSeconds(), TimeUnit.SECONDS);
      i++;
    }
    OtlpSink.await(WAIT, () -> sink.received().size() == 8, "8 exports at the sink");
    for (int n = 0; n < 4; n++) {
      final String name = "sdk span " + n;
      assertThat(
              sink.received().stream()
                  .filter(
                      r ->
                          r.request()
                              .getResourceSpans(0)
                              .getScopeSpans(0)
                              .getSpans(0)
                              .getName()
                              .equals(name)))
          .as(name)
          .hasSize(2);
    }
  }

  @Test
  void healthAndReadinessAndMetricsAreServed() {
    final WebClient admin = WebClient.of();
    assertThat(admin.get(service.adminUrl("/healthz")).aggregate().join().status().code())
        .isEqualTo(200);
    assertThat(admin.get(service.adminUrl("/readyz")).aggregate().join().status().code())
        .isEqualTo(200);
    final AggregatedHttpResponse metrics =
        admin.get(service.adminUrl("/metrics")).aggregate().join();
    assertThat(metrics.status().code()).isEqualTo(200);
    assertThat(metrics.contentUtf8()).contains("genai_normalizer_memory_limit_bytes");
  }

  @Test
  void badInputIsAnsweredWithoutReachingTheBackend() {
    final WebClient http = WebClient.of();
    final AggregatedHttpResponse garbage =
        http.execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.PROTOBUF)
                    .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8("\u00ff\u00fe not protobuf at all"))
            .aggregate()
            .join();
    assertThat(garbage.status().code()).isEqualTo(400);
    final AggregatedHttpResponse wrongType =
        http.execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.PLAIN_TEXT_UTF_8)
                    .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8("hello"))
            .aggregate()
            .join();
    assertThat(wrongType.status().code()).isEqualTo(415);
    final AggregatedHttpResponse badJson =
        http.execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.JSON)
                    .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8("{\"resourceSpans\": ["))
            .aggregate()
            .join();
    assertThat(badJson.status().code()).isEqualTo(400);
    assertThat(badJson.contentUtf8()).contains("invalid JSON");
    final AggregatedHttpResponse get =
        http.execute(HttpRequest.of(HttpMethod.GET, service.httpTracesUrl())).aggregate().join();
    assertThat(get.status().code()).isEqualTo(405);
    // A good request after the bad ones: once it has arrived, anything of theirs would have too.
    final ExportTraceServiceRequest good = TestTraces.fixture("kong-3.13-chat.json");
    assertThat(
            http.execute(
                    RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                        .contentType(MediaType.PROTOBUF)
                        .build(),
                    com.linecorp.armeria.common.HttpData.wrap(good.toByteArray()))
                .aggregate()
                .join()
                .status()
                .code())
        .isEqualTo(200);
    OtlpSink.await(
        WAIT, () -> sink.received().size() == 2, "the good request at both exporters' sink");
    assertThat(sink.received()).extracting(OtlpSink.Received::request).containsOnly(good);
  }
}
