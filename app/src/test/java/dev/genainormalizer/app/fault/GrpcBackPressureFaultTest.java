package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.TestConfig;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceStub;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Overload over OTLP/gRPC against the real service in-process: a small {@code service.memory_limit}
 * and a slow backend. While over the limit the service must answer {@code UNAVAILABLE} with a
 * {@code RetryInfo} detail (never another status), accept again once the backend has caught up, and
 * deliver every span it answered OK for. {@code -Dfault.grpcOverloadSeconds=N} lengthens the
 * overload (default 5).
 */
class GrpcBackPressureFaultTest {
  private static final Duration OVERLOAD =
      Duration.ofSeconds(Long.getLong("fault.grpcOverloadSeconds", 5));
  private static final int IN_FLIGHT = 16;
  private static final int SPANS_PER_REQUEST = 100;
  private static final int PAYLOAD_BYTES = 1000; // ~105 KB per request: about ten fit in 1 MiB

  private static String config(String sinkUrl) {
    return TestConfig.builder()
        .http(null)
        .grpc("127.0.0.1:0")
        .exporter(
            "otlphttp",
            "endpoint: " + sinkUrl,
            "sending_queue: { queue_size: 100000, num_consumers: 2 }")
        .service("memory_limit: 1MiB")
        .service("shutdown_timeout: 2s")
        .yaml();
  }

  @Test
  void overMemoryLimit_answersUnavailableWithRetryInfo_recovers_andDeliversEveryAcknowledgedSpan() {
    // The backend takes 2 requests at a time, 1 s each: 2 batches (200 spans) per second, far less
    // than the load offers, so the service reaches its 1 MiB limit whatever the machine's speed.
    try (FaultSink sink = new FaultSink(0, Duration.ofSeconds(1));
        Services.InProcess service = new Services.InProcess(config(sink.url()));
        GrpcLoad load = new GrpcLoad(service.grpcUri())) {
      final Semaphore inFlight = new Semaphore(IN_FLIGHT);
      final long start = System.nanoTime();
      long requests = 0;
      double maxMemoryUsed = 0;
      // At least OVERLOAD long and until the service has refused at least once, however slow the
      // machine; two minutes more at most.
      while (System.nanoTime() - start < OVERLOAD.toNanos()
          || load.refused.get() == 0
              && System.nanoTime() - start < OVERLOAD.plusSeconds(120).toNanos()) {
        inFlight.acquireUninterruptibly();
        load.send(SPANS_PER_REQUEST, PAYLOAD_BYTES)
            .whenComplete((outcome, e) -> inFlight.release());
        requests++;
        if (requests % 20 == 0) {
          maxMemoryUsed = Math.max(maxMemoryUsed, memoryUsed(service.scrape()));
        }
        Services.sleep(Duration.ofMillis(5));
      }
      inFlight.acquireUninterruptibly(IN_FLIGHT); // every answer of the overload is in
      inFlight.release(IN_FLIGHT);
      final double seconds = (System.nanoTime() - start) / 1e9;
      final long okDuringOverload = load.okRequests.get();
      final long refusedDuringOverload = load.refused.get();
      assertThat(load.other).as("answers other than OK or UNAVAILABLE + RetryInfo").isEmpty();
      assertThat(refusedDuringOverload)
          .as("UNAVAILABLE answers while over the memory limit")
          .isPositive();
      assertThat(okDuringOverload).as("requests accepted while under the limit").isPositive();

      // The load drops to one request of the same size every 200 ms: OK again as the backlog
      // drains.
      final long recoveryStart = System.nanoTime();
      final long[] recoveryAttempts = {0};
      await(
          Await.TIMEOUT,
          () -> {
            recoveryAttempts[0]++;
            if (load.send(SPANS_PER_REQUEST, PAYLOAD_BYTES).join() == Outcome.OK) {
              return true;
            }
            Services.sleep(Duration.ofMillis(200));
            return false;
          },
          "an OK after the load dropped");
      final long recoveryMillis = (System.nanoTime() - recoveryStart) / 1_000_000;

      // Once the backend has caught up (everything acknowledged delivered, nothing held), the very
      // next request is accepted: the refusals left nothing behind in the budget.
      await(
          Await.TIMEOUT,
          () -> sink.hasAll(load.acknowledged),
          "every acknowledged span at the backend");
      await(Await.TIMEOUT, () -> memoryUsed(service.scrape()) == 0, "the memory budget back to 0");
      final long refusedBeforeCaughtUp = load.refused.get();
      assertThat(load.send(SPANS_PER_REQUEST, PAYLOAD_BYTES).join())
          .as("answer once caught up")
          .isEqualTo(Outcome.OK);
      await(
          Await.TIMEOUT,
          () -> sink.hasAll(load.acknowledged),
          "the last request's spans at the backend");
      assertThat(load.other).as("answers other than OK or UNAVAILABLE + RetryInfo").isEmpty();

      final String metrics = service.scrape();
      System.out.println(
          "grpc overload (memory_limit 1MiB, backend 2x1s)"
              + ": sent="
              + load.sent.get()
              + ", acknowledged="
              + load.acknowledged.size()
              + ", delivered="
              + sink.delivered()
              + ", duplicates="
              + sink.duplicates()
              + String.format(
                  ", requests=%d, offered_requests_per_s=%.0f, ok_requests_during_overload=%d,"
                      + " unavailable_with_retry_info=%d (during overload %d), other_answers=%d,"
                      + " retry_delay_ms min=%d max=%d, max_memory_used_bytes=%.0f (limit 1048576),"
                      + " recovered_after_ms=%d (%d attempts),"
                      + " answer_ms ok p50=%s max=%s, unavailable p50=%s max=%s,"
                      + " receiver_refused_spans_metric=%.0f, receiver_accepted_spans_metric=%.0f, first_refusal=\"%s\"",
                  requests,
                  requests / seconds,
                  okDuringOverload,
                  refusedBeforeCaughtUp,
                  refusedDuringOverload,
                  load.other.size(),
                  load.minRetryDelayMillis.get(),
                  load.maxRetryDelayMillis.get(),
                  maxMemoryUsed,
                  recoveryMillis,
                  recoveryAttempts[0],
                  percentile(load.okMillis, 50),
                  percentile(load.okMillis, 100),
                  percentile(load.refusedMillis, 50),
                  percentile(load.refusedMillis, 100),
                  grpcCounter(metrics, "otelcol_receiver_refused_spans_total"),
                  grpcCounter(metrics, "otelcol_receiver_accepted_spans_total"),
                  load.firstRefusal));
      assertThat(sink.missing(load.acknowledged))
          .as("acknowledged spans missing at the backend")
          .isZero();
      assertThat(load.minRetryDelayMillis.get()).as("RetryInfo delay").isGreaterThanOrEqualTo(1000);
      // The service counts what it answered: spans in OK answers, refused requests, and the spans
      // of
      // those it refused after decoding (the rest were refused before their message was read).
      assertThat(grpcCounter(metrics, "otelcol_receiver_accepted_spans_total"))
          .isEqualTo((double) load.acknowledged.size());
      assertThat(grpcCounter(metrics, "otelcol_receiver_requests_total", "outcome=\"refused\""))
          .isEqualTo((double) load.refused.get());
      assertThat(grpcCounter(metrics, "otelcol_receiver_refused_spans_total"))
          .isLessThanOrEqualTo((double) load.refusedSpans.get());
    }
  }

  private static double memoryUsed(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("genai_normalizer_memory_used_bytes ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no genai_normalizer_memory_used_bytes in the service's metrics");
  }

  private static long percentile(List<Long> values, int p) {
    final List<Long> sorted = new java.util.ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  /** Sum of a Prometheus counter's series for the otlp receiver's gRPC transport. */
  private static double grpcCounter(String metrics, String name, String... tags) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{")
          && line.contains("transport=\"grpc\"")
          && java.util.Arrays.stream(tags).allMatch(line::contains)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  enum Outcome {
    OK,
    UNAVAILABLE_WITH_RETRY_INFO,
    OTHER
  }

  /**
   * An OTLP/gRPC client (Armeria's, as the receiver's own tests use) sending requests of spans with
   * unique ids; remembers which ids were answered OK and classifies every other answer.
   */
  static final class GrpcLoad implements AutoCloseable {
    private final ClientFactory factory = ClientFactory.builder().build();
    private final TraceServiceStub stub;
    private final AtomicLong nextId = new AtomicLong(1);
    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong okRequests = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong refusedSpans = new AtomicLong();
    final AtomicLong minRetryDelayMillis = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong maxRetryDelayMillis = new AtomicLong();

    /** Milliseconds from sending to the answer, per outcome, for the printed figures. */
    final List<Long> okMillis = new CopyOnWriteArrayList<>();

    final List<Long> refusedMillis = new CopyOnWriteArrayList<>();
    volatile String firstRefusal = "";

    /** Every answer that was neither OK nor UNAVAILABLE with RetryInfo, described. */
    final List<String> other = new CopyOnWriteArrayList<>();

    GrpcLoad(String uri) {
      stub =
          GrpcClients.builder(uri)
              .factory(factory)
              .responseTimeout(Duration.ofSeconds(30))
              .maxRequestMessageLength(-1)
              .build(TraceServiceStub.class);
    }

    CompletableFuture<Outcome> send(int spans, int attributeBytes) {
      final long first = nextId.getAndAdd(spans);
      final ExportTraceServiceRequest request = Load.request(first, spans, attributeBytes);
      sent.addAndGet(spans);
      final CompletableFuture<Outcome> done = new CompletableFuture<>();
      final long t0 = System.nanoTime();
      stub.export(
          request,
          new StreamObserver<>() {
            @Override
            public void onNext(ExportTraceServiceResponse response) {
              if (response.hasPartialSuccess()
                  && response.getPartialSuccess().getRejectedSpans() > 0) {
                other.add("OK with partial_success: " + response.getPartialSuccess());
              }
            }

            @Override
            public void onError(Throwable t) {
              final Outcome outcome = classify(t, spans);
              if (outcome == Outcome.UNAVAILABLE_WITH_RETRY_INFO) {
                refusedMillis.add((System.nanoTime() - t0) / 1_000_000);
              }
              done.complete(outcome);
            }

            @Override
            public void onCompleted() {
              okRequests.incrementAndGet();
              okMillis.add((System.nanoTime() - t0) / 1_000_000);
              for (long id = first; id < first + spans; id++) {
                acknowledged.add(id);
              }
              done.complete(Outcome.OK);
            }
          });
      return done;
    }

    private Outcome classify(Throwable t, int spans) {
      final Status status = Status.fromThrowable(t);
      final com.google.rpc.Status details = StatusProto.fromThrowable(t);
      if (status.getCode() == Status.Code.UNAVAILABLE && details != null) {
        for (Any detail : details.getDetailsList()) {
          if (detail.is(RetryInfo.class)) {
            try {
              final com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
              final long millis = d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
              minRetryDelayMillis.accumulateAndGet(millis, Math::min);
              maxRetryDelayMillis.accumulateAndGet(millis, Math::max);
            } catch (InvalidProtocolBufferException e) {
              other.add("unreadable RetryInfo: " + e);
              return Outcome.OTHER;
            }
            if (refused.incrementAndGet() == 1) {
              firstRefusal = status.getDescription();
            }
            refusedSpans.addAndGet(spans);
            return Outcome.UNAVAILABLE_WITH_RETRY_INFO;
          }
        }
      }
      other.add(
          status.getCode()
              + ": "
              + status.getDescription()
              + " (details: "
              + (details == null ? "none" : details.getDetailsList())
              + ")"
              + (status.getCause() == null ? "" : " cause " + status.getCause()));
      return Outcome.OTHER;
    }

    @Override
    public void close() {
      factory.close();
    }
  }
}
