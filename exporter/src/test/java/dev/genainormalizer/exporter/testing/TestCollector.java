package dev.genainormalizer.exporter.testing;

import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The state of a fake OTLP backend shared by its HTTP and gRPC front ends: answers queued by the
 * test, and what arrived. Thread-safe.
 */
public final class TestCollector {
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> holds = new CopyOnWriteArrayList<>();
  private volatile Answer always;

  /** How the backend answers one request. */
  public record Answer(
      int httpStatus,
      Status.Code grpcCode,
      Duration retryAfter,
      String retryAfterHeader,
      Duration delay,
      CompletableFuture<Void> hold,
      byte[] body) {
    public static Answer ok() {
      return new Answer(200, Status.Code.OK, null, null, Duration.ZERO, null, null);
    }

    public static Answer http(int status) {
      return new Answer(
          status,
          Status.Code.UNKNOWN,
          null,
          null,
          Duration.ZERO,
          null,
          ("status " + status + " from the test collector")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Answer grpc(Status.Code code) {
      return new Answer(0, code, null, null, Duration.ZERO, null, null);
    }

    /** HTTP: {@code Retry-After} in seconds; gRPC: a {@code RetryInfo} detail. */
    public Answer retryAfter(Duration d) {
      return new Answer(httpStatus, grpcCode, d, retryAfterHeader, delay, hold, body);
    }

    /** HTTP only: a raw {@code Retry-After} value. */
    public Answer retryAfterHeader(String value) {
      return new Answer(httpStatus, grpcCode, retryAfter, value, delay, hold, body);
    }

    public Answer delayed(Duration d) {
      return new Answer(httpStatus, grpcCode, retryAfter, retryAfterHeader, d, hold, body);
    }

    /** Answers only when {@code h} completes. */
    public Answer heldUntil(CompletableFuture<Void> h) {
      return new Answer(httpStatus, grpcCode, retryAfter, retryAfterHeader, delay, h, body);
    }

    public Answer body(byte[] b) {
      return new Answer(httpStatus, grpcCode, retryAfter, retryAfterHeader, delay, hold, b);
    }
  }

  /** One request as it arrived. */
  public record Received(
      RequestHeaders headers, ExportTraceServiceRequest request, long arrivalNanos) {}

  public void reset() {
    answers.clear();
    always = null;
    received.clear();
    holds.forEach(h -> h.complete(null)); // let pending calls of the previous test end
    holds.clear();
  }

  public void enqueue(Answer... next) {
    answers.addAll(List.of(next));
  }

  /** Answers every request not covered by a queued answer this way (default: ok). */
  public void always(Answer answer) {
    always = Objects.requireNonNull(answer, "answer");
  }

  /** A hold released at the next {@link #reset()} at the latest. */
  public CompletableFuture<Void> newHold() {
    final CompletableFuture<Void> h = new CompletableFuture<>();
    holds.add(h);
    return h;
  }

  /** Called by the front end for every request: records it and picks the answer. */
  public Answer arrived(RequestHeaders headers, ExportTraceServiceRequest request) {
    received.add(new Received(headers, request, System.nanoTime()));
    final Answer next = answers.poll();
    if (next != null) {
      return next;
    }
    final Answer a = always;
    return a == null ? Answer.ok() : a;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> awaitReceived(int n) {
    Await.until(
        n + " requests arrived", () -> received.size() >= n, () -> "(got " + received.size() + ")");
    return received();
  }
}
