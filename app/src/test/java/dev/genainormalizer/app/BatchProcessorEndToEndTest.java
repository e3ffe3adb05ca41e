package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * A Collector-style config that lists the {@code batch} processor: the service starts, and the
 * exporter merges what the pipeline passes it into requests as the processor's settings say.
 */
class BatchProcessorEndToEndTest {
  private static final int EXPORTS = 20;
  private static final int SPANS_PER_EXPORT = 9;

  @Test
  void theBatchProcessorsSettingsMergeTheExportersRequests() {
    final int spans = EXPORTS * SPANS_PER_EXPORT;
    try (OtlpSink sink = new OtlpSink();
        RunningService service =
            new RunningService(
                TestConfig.builder()
                    // Sent when it holds every span, never on the timer: one request, whatever the
                    // machine's pace (the exporter's own default would flush after 200ms).
                    .processor("batch", "timeout: 10m", "send_batch_size: " + spans)
                    .exporter("otlphttp", "endpoint: " + sink.httpBase())
                    .yaml())) {
      final WebClient client = WebClient.of();
      final ExportTraceServiceRequest chat = TestTraces.fixture("kong-3.13-chat.json");
      assertThat(dev.genainormalizer.pipeline.TraceBatch.countSpans(chat))
          .isEqualTo(SPANS_PER_EXPORT);
      for (int i = 0; i < EXPORTS; i++) {
        final AggregatedHttpResponse response =
            client
                .execute(
                    RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                        .contentType(MediaType.PROTOBUF)
                        .build(),
                    HttpData.wrap(chat.toByteArray()))
                .aggregate()
                .join();
        // The processor holds nothing: each export is answered before the batch is complete.
        assertThat(response.status().code()).as("answer to export " + i).isEqualTo(200);
      }

      Await.until(() -> sink.spanCount() == spans, "every span at the sink");
      assertThat(sink.received())
          .as("requests the sink got for " + EXPORTS + " exports")
          .hasSize(1);
      Await.until(() -> flushes(service, "size") == 1, "the exporter to count its flush");
      assertThat(flushes(service, "timeout")).as("flushes on the timer").isZero();
    }
  }

  private static double flushes(RunningService service, String reason) {
    final Counter counter =
        service
            .service
            .meterRegistry()
            .find("genai_normalizer.exporter.batch.flushes")
            .tags("exporter", "otlphttp", "reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
