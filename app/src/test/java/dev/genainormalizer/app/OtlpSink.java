package dev.genainormalizer.app;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.otlp.OtlpJson;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP backend for tests: OTLP/HTTP (protobuf or JSON, gzip) on {@code /v1/traces} and
 * OTLP/gRPC on one port. Records what it decoded; answers with queued HTTP statuses first, then
 * 200.
 */
final class OtlpSink implements AutoCloseable {
  /** One request as the sink saw it. */
  record Received(
      String transport,
      String path,
      String contentType,
      String contentEncoding,
      com.linecorp.armeria.common.RequestHeaders headers,
      ExportTraceServiceRequest request) {}

  private final Server server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> queuedStatuses = new ConcurrentLinkedQueue<>();
  private final List<Long> attemptNanos = new CopyOnWriteArrayList<>();

  OtlpSink() {
    server =
        Server.builder()
            .http(0)
            .service(
                GrpcService.builder()
                    .addService(
                        new TraceServiceGrpc.TraceServiceImplBase() {
                          @Override
                          public void export(
                              ExportTraceServiceRequest request,
                              StreamObserver<ExportTraceServiceResponse> observer) {
                            attemptNanos.add(System.nanoTime());
                            final Integer status = queuedStatuses.poll();
                            if (status != null && status != 200) {
                              observer.onError(
                                  Status.UNAVAILABLE
                                      .withDescription("queued failure")
                                      .asRuntimeException());
                              return;
                            }
                            received.add(
                                new Received("grpc", "", "application/grpc", "", null, request));
                            observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                            observer.onCompleted();
                          }
                        })
                    .build())
            .serviceUnder(
                "/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(this::handleHttp)))
            .build();
    server.start().join();
  }

  private HttpResponse handleHttp(AggregatedHttpRequest req) {
    attemptNanos.add(System.nanoTime());
    final Integer status = queuedStatuses.poll();
    if (status != null && status != 200) {
      return HttpResponse.of(
          ResponseHeaders.of(HttpStatus.valueOf(status)),
          com.linecorp.armeria.common.HttpData.ofUtf8("queued failure"));
    }
    try {
      byte[] body = req.content().array();
      final String encoding = req.headers().get("content-encoding", "");
      if (encoding.equals("gzip")) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      final MediaType type = req.contentType();
      final boolean json = type != null && type.is(MediaType.JSON);
      final ExportTraceServiceRequest request =
          json ? OtlpJson.parseTraces(body) : ExportTraceServiceRequest.parseFrom(body);
      received.add(
          new Received(
              "http",
              req.path(),
              type == null ? "" : type.toString(),
              encoding,
              req.headers(),
              request));
      final ExportTraceServiceResponse response = ExportTraceServiceResponse.getDefaultInstance();
      return json
          ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.print(response))
          : HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF, response.toByteArray());
    } catch (IOException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, e.getMessage());
    }
  }

  /** The next {@code n} requests (HTTP or gRPC) fail with {@code status} (gRPC: UNAVAILABLE). */
  OtlpSink failNext(int n, int status) {
    for (int i = 0; i < n; i++) {
      queuedStatuses.add(status);
    }
    return this;
  }

  String httpBase() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  String grpcEndpoint() {
    return "127.0.0.1:" + server.activeLocalPort();
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<Long> attemptNanos() {
    return new ArrayList<>(attemptNanos);
  }

  int spanCount() {
    int n = 0;
    for (Received r : received) {
      n += dev.genainormalizer.pipeline.TraceBatch.countSpans(r.request());
    }
    return n;
  }

  /** Polls until {@code condition} holds; fails after {@code timeout}. See {@link Await}. */
  static void await(Duration timeout, BooleanSupplier condition, String what) {
    Await.until(timeout, condition, what);
  }

  @Override
  public void close() {
    // Not joined: Armeria's stop waits ~2 s for its acceptor threads' quiet period, and no test
    // needs this backend gone, only the next one to start, on a port of its own.
    server.stop();
  }
}
