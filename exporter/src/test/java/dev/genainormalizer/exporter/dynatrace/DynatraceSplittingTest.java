package dev.genainormalizer.exporter.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batches over the request limit go out in parts; a retry does not send accepted parts again. */
class DynatraceSplittingTest {
  private static final int LIMIT = 4_000;
  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
  static final List<Integer> SIZES = new CopyOnWriteArrayList<>();
  static final java.util.concurrent.atomic.AtomicInteger SEEN =
      new java.util.concurrent.atomic.AtomicInteger();
  static volatile int failAt = -1;

  @RegisterExtension
  static final ServerExtension server =
      new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
          sb.service(
              "/api/v2/otlp/v1/traces",
              (ctx, req) ->
                  HttpResponse.of(
                      req.aggregate()
                          .thenApply(
                              agg -> {
                                if (SEEN.incrementAndGet() == failAt) {
                                  return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                                }
                                try {
                                  SIZES.add(agg.content().length());
                                  RECEIVED.add(
                                      ExportTraceServiceRequest.parseFrom(agg.content().array()));
                                } catch (Exception e) {
                                  return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                }
                                return HttpResponse.of(HttpStatus.OK);
                              })));
        }
      };

  @BeforeEach
  void reset() {
    RECEIVED.clear();
    SIZES.clear();
    SEEN.set(0);
    failAt = -1;
  }

  @Test
  void splitsDropsTheOversizedSpanAndRetriesOnlyWhatFailed() throws Exception {
    final ExporterSettings settings = VendorConfigs.settings("dynatrace");
    final DynatraceExporterConfig config =
        new DynatraceExporterConfig(
            new HttpClientSettings(
                server.httpUri().toString(),
                null,
                Compression.NONE,
                null,
                null,
                new RetryConfig(
                    true,
                    Duration.ofMillis(10),
                    Duration.ofMillis(50),
                    Duration.ofSeconds(60),
                    1.5,
                    0),
                new QueueConfig(10, 1)),
            new Secret(DynatraceExporterConfigYamlTest.TOKEN),
            null);
    final TraceExporter exporter = new DynatraceExporterFactory().create(config, settings, LIMIT);
    exporter.start();
    final ExportTraceServiceRequest request = request(10, 1_000, 8_000);
    exporter.export(TraceBatch.of(request));
    final Counter oversized =
        settings.meterRegistry().get(DynatraceExporterFactory.OVERSIZED_SPANS).counter();
    Await.until(
        "10 spans sent and the huge one dropped", () -> spans() == 10 && oversized.count() == 1);
    // The second part of the next batch fails once: the first part must not be sent again.
    failAt = SEEN.get() + 2;
    exporter.export(TraceBatch.of(request(6, 1_000, 0)));
    Await.until("16 spans sent", () -> spans() == 16);

    assertThat(exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(RECEIVED.size()).isGreaterThan(3);
    assertThat(SEEN.get()).as("one request failed and was retried").isEqualTo(RECEIVED.size() + 1);
    assertThat(SIZES).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(LIMIT));
    final Set<String> ids = new HashSet<>();
    RECEIVED.forEach(
        r ->
            r.getResourceSpans(0)
                .getScopeSpans(0)
                .getSpansList()
                .forEach(
                    s ->
                        assertThat(ids.add(s.getName() + "/" + s.getSpanId().toStringUtf8()))
                            .as("span %s sent once", s.getName())
                            .isTrue()));
    assertThat(RECEIVED)
        .allSatisfy(
            r ->
                assertThat(r.getResourceSpans(0).getResource().getAttributes(0).getKey())
                    .isEqualTo("service.name"));
    assertThat(oversized.count()).isEqualTo(1.0);
  }

  private static int spans() {
    return RECEIVED.stream().mapToInt(TraceBatch::countSpans).sum();
  }

  /** {@code n} spans of about {@code bytes} each, then one of {@code hugeBytes} if > 0. */
  private static ExportTraceServiceRequest request(int n, int bytes, int hugeBytes) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    final String prefix = "batch-" + System.nanoTime() + "-";
    for (int i = 0; i < n; i++) {
      scope.addSpans(span(prefix + i, i, bytes));
    }
    if (hugeBytes > 0) {
      scope.addSpans(span(prefix + "huge", 99, hugeBytes));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("kong"))))
                .addScopeSpans(scope))
        .build();
  }

  private static Span span(String name, int i, int bytes) {
    return Span.newBuilder()
        .setName(name)
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFromUtf8(String.format("%08d", i)))
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("payload")
                .setValue(AnyValue.newBuilder().setStringValue("x".repeat(bytes))))
        .build();
  }
}
