package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One pipeline, three backends: healthy, flaky (503 twice, then 200) and dead (connection refused).
 * The healthy one gets everything while the dead one is still retrying; the flaky one gets
 * everything after its retries; the receiver answers 200 to every request throughout.
 */
class FanOutTest {
  private static final int BATCHES = 20;

  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  @Test
  void aDeadBackendStallsNeitherTheReceiverNorTheOtherExporters() {
    final int deadPort = ports.next(); // refuses every connection while the test runs
    try (OtlpSink healthy = new OtlpSink();
        OtlpSink flaky = new OtlpSink().failNext(2, 503);
        RunningService service =
            new RunningService(
                String.join(
                    "\n",
                    "receivers:",
                    "  otlp:",
                    "    protocols:",
                    "      http: { endpoint: 127.0.0.1:0 }",
                    "      grpc: { enabled: false }",
                    "exporters:",
                    "  otlphttp/healthy:",
                    "    endpoint: " + healthy.httpBase(),
                    // flaky and dead count requests: one per received request, without batching
                    "  otlphttp/flaky:",
                    "    endpoint: " + flaky.httpBase(),
                    "    retry_on_failure: { initial_interval: 20ms, max_interval: 100ms }",
                    "    sending_queue: { batch: { enabled: false } }",
                    "  otlphttp/dead:",
                    "    endpoint: http://127.0.0.1:" + deadPort,
                    "    retry_on_failure: { initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 5m }",
                    "    sending_queue: { queue_size: 5, num_consumers: 1, batch: { enabled: false } }",
                    "service:",
                    "  shutdown_timeout: 1s",
                    "  pipelines:",
                    "    traces:",
                    "      receivers: [otlp]",
                    "      exporters: [otlphttp/dead, otlphttp/flaky, otlphttp/healthy]",
                    "  telemetry:",
                    "    admin: { endpoint: 127.0.0.1:0 }",
                    ""))) {
      final WebClient client = WebClient.of();
      final ExportTraceServiceRequest chat = TestTraces.fixture("kong-3.13-chat.json");
      for (int i = 0; i < BATCHES; i++) {
        final AggregatedHttpResponse response =
            client
                .execute(
                    RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                        .contentType(MediaType.PROTOBUF)
                        .build(),
                    HttpData.wrap(chat.toByteArray()))
                .aggregate()
                .join();
        assertThat(response.status().code()).as("answer to batch " + i).isEqualTo(200);
      }
      final int spans = BATCHES * 9;
      OtlpSink.await(
          Await.TIMEOUT, () -> healthy.spanCount() == spans, "all spans at the healthy sink");
      // The dead backend has not given up yet (5 minutes of retries allowed): it is still retrying
      // while the healthy one already has everything.
      assertThat(counter(service, "otelcol.exporter.sent.spans", "otlphttp/dead")).isZero();
      assertThat(counter(service, "otelcol.exporter.send_failed.spans", "otlphttp/dead")).isZero();
      OtlpSink.await(
          Await.TIMEOUT, () -> flaky.spanCount() == spans, "all spans at the flaky sink");
      assertThat(flaky.attemptNanos()).hasSize(BATCHES + 2);
      // The dead exporter's small queue overflowed: counted, not blocking.
      assertThat(counter(service, "otelcol.exporter.enqueue_failed.spans", "otlphttp/dead"))
          .isPositive();
      // Counted once the exporter has read the sink's answer, which can be after the sink recorded
      // the spans: wait for the count to reach the total, then check it went no further.
      OtlpSink.await(
          Await.TIMEOUT,
          () -> counter(service, "otelcol.exporter.sent.spans", "otlphttp/healthy") >= spans,
          "the healthy exporter to count what it sent");
      assertThat(counter(service, "otelcol.exporter.sent.spans", "otlphttp/healthy"))
          .isEqualTo(spans);
    }
  }

  private static double counter(RunningService service, String name, String exporter) {
    final Counter counter =
        service.service.meterRegistry().find(name).tag("exporter", exporter).counter();
    return counter == null ? 0 : counter.count();
  }
}
