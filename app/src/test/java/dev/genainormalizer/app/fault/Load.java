package dev.genainormalizer.app.fault;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client sending OTLP/HTTP requests of spans with unique ids, remembering which ids the service
 * acknowledged (answered 200), so a test can check that each of them arrived.
 */
final class Load implements AutoCloseable {
  private final String url;
  private final ClientFactory factory = ClientFactory.builder().build();
  private final WebClient client;
  private final AtomicLong nextId = new AtomicLong(1);
  final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong ok = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong otherStatus = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  Load(String tracesUrl) {
    this.url = tracesUrl;
    this.client =
        WebClient.builder().factory(factory).responseTimeout(Duration.ofSeconds(30)).build();
  }

  /**
   * Sends one request of {@code spans} spans, each with {@code attributeBytes} of payload;
   * completes with the status (0 on a transport error).
   */
  CompletableFuture<Integer> send(int spans, int attributeBytes) {
    final long first = nextId.getAndAdd(spans);
    return send(request(first, spans, attributeBytes), first, spans);
  }

  /**
   * As {@link #send}, but each span's parent is missing from the request, so a {@code kong}
   * processor holds the spans for its {@code trace_wait}, waiting for the rest of their traces.
   */
  CompletableFuture<Integer> sendOrphans(int spans, int attributeBytes) {
    final long first = nextId.getAndAdd(spans);
    final ExportTraceServiceRequest.Builder request =
        request(first, spans, attributeBytes).toBuilder();
    long id = first;
    for (Span.Builder span :
        request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilderList()) {
      // ids the load never gives a span: far above any it counts to
      span.setParentSpanId(
          ByteString.copyFrom(ByteBuffer.allocate(8).putLong((1L << 62) + id++).array()));
    }
    return send(request.build(), first, spans);
  }

  private CompletableFuture<Integer> send(
      ExportTraceServiceRequest request, long first, int spans) {
    sent.addAndGet(spans);
    return client
        .execute(
            RequestHeaders.builder(HttpMethod.POST, url).contentType(MediaType.PROTOBUF).build(),
            HttpData.wrap(request.toByteArray()))
        .aggregate()
        .handle(
            (response, error) -> {
              if (error != null) {
                failed.addAndGet(spans);
                return 0;
              }
              final int status = response.status().code();
              if (status == 200) {
                ok.addAndGet(spans);
                for (long id = first; id < first + spans; id++) {
                  acknowledged.add(id);
                }
              } else if (status == 503) {
                unavailable.incrementAndGet();
              } else {
                otherStatus.incrementAndGet();
              }
              return status;
            });
  }

  static ExportTraceServiceRequest request(long firstId, int spans, int attributeBytes) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    final String payload = "x".repeat(attributeBytes);
    for (int i = 0; i < spans; i++) {
      final long id = firstId + i;
      final Span.Builder span =
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id / 10 + 1).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
              .setName("chat gpt-4o")
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + id)
              .setEndTimeUnixNano(1_700_000_000_500_000_000L + id)
              .addAttributes(kv("gen_ai.operation.name", "chat"))
              .addAttributes(kv("gen_ai.request.model", "gpt-4o"));
      if (attributeBytes > 0) {
        span.addAttributes(kv("test.payload", payload));
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(kv("service.name", "fault-test")))
                .addScopeSpans(scope))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** "sent=…, acknowledged=…, delivered=…, duplicates=…" for a test's stdout. */
  String figures(String test, FaultSink sink) {
    return test
        + ": sent="
        + sent.get()
        + ", acknowledged="
        + acknowledged.size()
        + ", delivered="
        + sink.delivered()
        + ", duplicates="
        + sink.duplicates()
        + ", refused_503="
        + unavailable.get();
  }

  List<Long> acknowledgedIds() {
    return List.copyOf(acknowledged);
  }

  @Override
  public void close() {
    factory.close();
  }
}
