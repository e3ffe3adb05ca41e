package dev.genainormalizer.exporter.testing;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Named;

/**
 * The OTLP/gRPC front end of a {@link TestCollector}: records each request and answers as the
 * collector says, with a {@code RetryInfo} detail when the answer carries a delay.
 */
public final class GrpcBackend extends TraceServiceGrpc.TraceServiceImplBase {
  /** The path every OTLP/gRPC export call goes to. */
  public static final String EXPORT_PATH =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final TestCollector collector;

  private GrpcBackend(TestCollector collector) {
    this.collector = collector;
  }

  /** A server answering OTLP/gRPC; register it as a static extension. */
  public static ServerExtension server(TestCollector collector) {
    return new ServerExtension() {
      @Override
      protected void configure(ServerBuilder sb) {
        sb.requestTimeout(Duration.ZERO); // answers held by a test must not time out on their own
        sb.service(service(collector));
      }
    };
  }

  public static GrpcService service(TestCollector collector) {
    return GrpcService.builder().addService(new GrpcBackend(collector)).build();
  }

  /** The gRPC codes OTLP says to retry (RESOURCE_EXHAUSTED only when the server says when). */
  public static List<Named<Answer>> retryableAnswers() {
    return List.of(
        Named.of("UNAVAILABLE", Answer.grpc(Status.Code.UNAVAILABLE)),
        Named.of("CANCELLED", Answer.grpc(Status.Code.CANCELLED)),
        Named.of("DEADLINE_EXCEEDED", Answer.grpc(Status.Code.DEADLINE_EXCEEDED)),
        Named.of("ABORTED", Answer.grpc(Status.Code.ABORTED)),
        Named.of("OUT_OF_RANGE", Answer.grpc(Status.Code.OUT_OF_RANGE)),
        Named.of("DATA_LOSS", Answer.grpc(Status.Code.DATA_LOSS)),
        Named.of(
            "RESOURCE_EXHAUSTED with RetryInfo",
            Answer.grpc(Status.Code.RESOURCE_EXHAUSTED).retryAfter(Duration.ofMillis(20))));
  }

  /** The gRPC codes that drop the data at once. */
  public static List<Named<Answer>> permanentAnswers() {
    return List.of(
        Named.of(
            "RESOURCE_EXHAUSTED without RetryInfo", Answer.grpc(Status.Code.RESOURCE_EXHAUSTED)),
        Named.of("INVALID_ARGUMENT", Answer.grpc(Status.Code.INVALID_ARGUMENT)),
        Named.of("UNAUTHENTICATED", Answer.grpc(Status.Code.UNAUTHENTICATED)),
        Named.of("PERMISSION_DENIED", Answer.grpc(Status.Code.PERMISSION_DENIED)),
        Named.of("INTERNAL", Answer.grpc(Status.Code.INTERNAL)),
        Named.of("UNIMPLEMENTED", Answer.grpc(Status.Code.UNIMPLEMENTED)));
  }

  /** RESOURCE_EXHAUSTED asking to wait {@code delay}. */
  public static Answer throttled(Duration delay) {
    return Answer.grpc(Status.Code.RESOURCE_EXHAUSTED).retryAfter(delay);
  }

  @Override
  public void export(
      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
    final ServiceRequestContext ctx = ServiceRequestContext.current();
    final Answer answer = collector.arrived(ctx.request().headers(), request);
    final Runnable respond =
        () -> {
          if (answer.grpcCode() == Status.Code.OK) {
            observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
            observer.onCompleted();
            return;
          }
          final com.google.rpc.Status.Builder status =
              com.google.rpc.Status.newBuilder()
                  .setCode(answer.grpcCode().value())
                  .setMessage(answer.grpcCode() + " from the test collector");
          if (answer.retryAfter() != null) {
            status.addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(answer.retryAfter().getSeconds())
                                .setNanos(answer.retryAfter().getNano()))
                        .build()));
          }
          observer.onError(StatusProto.toStatusRuntimeException(status.build()));
        };
    final Runnable delayed =
        answer.delay().isZero()
            ? respond
            : () ->
                ctx.eventLoop().schedule(respond, answer.delay().toNanos(), TimeUnit.NANOSECONDS);
    if (answer.hold() != null) {
      answer.hold().thenRun(() -> ctx.eventLoop().execute(delayed));
    } else {
      delayed.run();
    }
  }
}
