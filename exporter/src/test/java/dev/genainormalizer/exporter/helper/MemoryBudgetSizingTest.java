package dev.genainormalizer.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Queues are sized in serialized bytes, so one budget holds about as many spans whatever the
 * request sizes.
 */
class MemoryBudgetSizingTest {
  private static final long LIMIT = 4L << 20;

  @Test
  void aBudgetHoldsAboutTheSameSpansInSmallAndLargeRequests() throws Exception {
    final long inOneSpanRequests = spansHeldBeforeTheLimit(1);
    final long inHundredSpanRequests = spansHeldBeforeTheLimit(100);
    System.out.println(
        "spans held by a 4 MiB budget: 1-span requests="
            + inOneSpanRequests
            + ", 100-span requests="
            + inHundredSpanRequests);
    // Small requests repeat the resource and scope per request: a little less, never more, fits.
    assertThat((double) inOneSpanRequests / inHundredSpanRequests).isBetween(0.8, 1.01);
  }

  private static long spansHeldBeforeTheLimit(int spansPerRequest) throws Exception {
    final MemoryBudget budget = new MemoryBudget(LIMIT);
    final QueuedRetryingExporter exporter =
        QueuedRetryingExporter.builder()
            .id(ComponentId.parse("otlp/sizing"))
            .sender(ScriptedSender.dead())
            .meterRegistry(new SimpleMeterRegistry())
            .memoryBudget(budget)
            .queue(new QueueConfig(1_000_000, 1))
            .build();
    exporter.start();
    long spans = 0;
    long id = 1;
    while (!budget.isExceeded()) {
      exporter.export(request(id, spansPerRequest));
      id += spansPerRequest;
      spans += spansPerRequest;
    }
    exporter.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    return spans;
  }

  private static TraceBatch request(long firstId, int spans) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    scope.getScopeBuilder().setName("kong-internal").setVersion("3.13.0");
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, firstId + i).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(firstId + i).array()))
              .setName("chat gpt-4o")
              .setStartTimeUnixNano(1_700_000_000_000_000_000L)
              .setEndTimeUnixNano(1_700_000_000_500_000_000L)
              .addAttributes(kv("gen_ai.operation.name", "chat"))
              .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
              .addAttributes(kv("gen_ai.prompt", "x".repeat(200))));
    }
    return TraceBatch.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", "kong")))
                    .addScopeSpans(scope))
            .build());
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
