package dev.genainormalizer.app.fault;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP backend for fault tests: counts every span id it accepted (so duplicates show), can
 * answer slowly or hold its answers until released, and can answer scripted statuses (with {@code
 * Retry-After}) before 200.
 */
final class FaultSink implements AutoCloseable {
  /** A scripted answer: the status and its {@code Retry-After} header (empty for none). */
  record Answer(int status, String retryAfter) {}

  private final Server server;
  private final ConcurrentHashMap<Long, Integer> seen = new ConcurrentHashMap<>();
  private final AtomicLong spansReceived = new AtomicLong();
  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
  private final List<Long> acceptedNanos = new CopyOnWriteArrayList<>();
  private volatile Duration delay;
  private volatile CompletableFuture<Void> held;

  FaultSink(int port, Duration delay) {
    this.delay = delay;
    server =
        Server.builder()
            .http(port)
            .requestTimeout(Duration.ofMinutes(1))
            .maxRequestLength(64 << 20)
            .serviceUnder(
                "/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(this::handle)))
            .build();
    server.start().join();
  }

  FaultSink() {
    this(0, Duration.ZERO);
  }

  private HttpResponse handle(AggregatedHttpRequest req) {
    attemptNanos.add(System.nanoTime());
    final Answer scripted = script.poll();
    if (scripted != null && scripted.status() != 200) {
      final com.linecorp.armeria.common.ResponseHeadersBuilder headers =
          ResponseHeaders.builder(scripted.status());
      if (!scripted.retryAfter().isEmpty()) {
        headers.add("retry-after", scripted.retryAfter());
      }
      return HttpResponse.of(headers.build(), HttpData.ofUtf8("scripted failure"));
    }
    final ExportTraceServiceRequest request;
    try {
      byte[] body = req.content().array();
      if (req.headers().get("content-encoding", "").equals("gzip")) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, e.toString());
    }
    final CompletableFuture<Void> hold = held;
    if (hold != null) {
      return HttpResponse.of(hold.thenApply(released -> accept(request)));
    }
    return accept(request);
  }

  private HttpResponse accept(ExportTraceServiceRequest request) {
    final HttpResponse ok =
        HttpResponse.of(
            HttpStatus.OK,
            MediaType.PROTOBUF,
            ExportTraceServiceResponse.getDefaultInstance().toByteArray());
    final Duration d = delay;
    if (d.isZero()) {
      record(request);
      return ok;
    }
    // Counted when answered, as a backend acknowledges only then.
    return HttpResponse.delayed(
        () -> {
          record(request);
          return ok;
        },
        d);
  }

  private void record(ExportTraceServiceRequest request) {
    acceptedNanos.add(System.nanoTime());
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          seen.merge(ByteBuffer.wrap(s.getSpanId().toByteArray()).getLong(), 1, Integer::sum);
          spansReceived.incrementAndGet();
        }
      }
    }
  }

  FaultSink answer(int status, String retryAfter) {
    script.add(new Answer(status, retryAfter));
    return this;
  }

  void delay(Duration d) {
    delay = d;
  }

  /**
   * From now on the backend takes requests but answers none until {@link #release()}: what it holds
   * is not delivered, so a test knows for certain what cannot have arrived yet.
   */
  FaultSink hold() {
    if (held == null) {
      held = new CompletableFuture<>();
    }
    return this;
  }

  /** Answers (and counts) every held request, and the ones after it as before {@link #hold()}. */
  void release() {
    final CompletableFuture<Void> hold = held;
    held = null;
    if (hold != null) {
      hold.complete(null);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  int port() {
    return server.activeLocalPort();
  }

  /** Distinct spans received. */
  long delivered() {
    return seen.size();
  }

  /** Spans received more than once, counted once per extra copy. */
  long duplicates() {
    return spansReceived.get() - seen.size();
  }

  boolean hasAll(Collection<Long> ids) {
    for (Long id : ids) {
      if (!seen.containsKey(id)) {
        return false;
      }
    }
    return true;
  }

  long missing(Collection<Long> ids) {
    long n = 0;
    for (Long id : ids) {
      if (!seen.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  List<Long> attemptNanos() {
    return new ArrayList<>(attemptNanos);
  }

  List<Long> acceptedNanos() {
    return new ArrayList<>(acceptedNanos);
  }

  @Override
  public void close() {
    // Not joined: Armeria's stop waits ~2 s for its acceptor threads' quiet period, and no test
    // needs this backend gone, only the next one to start, on a port of its own.
    server.stop();
  }
}
