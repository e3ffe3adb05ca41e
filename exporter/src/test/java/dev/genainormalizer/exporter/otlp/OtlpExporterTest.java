package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.TestCollector;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a real OTLP/gRPC backend. */
class OtlpExporterTest extends AbstractExporterContractTest {
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      sb.requestTimeout(Duration.ZERO);
      sb.service(GrpcService.builder().addService(new Backend()).build());
    }
  };

  @Override
  protected TestCollector collector() {
    return COLLECTOR;
  }

  @Override
  protected String componentType() {
    return OtlpExporterFactory.TYPE;
  }

  @Override
  protected String endpoint() {
    return "127.0.0.1:" + server.httpPort();
  }

  @Override
  protected String unreachableEndpoint() {
    return "127.0.0.1:1";
  }

  @Override
  protected TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    final OtlpExporterConfig config = new OtlpExporterConfig(o.endpoint(), o.compression(), o.headers(),
        o.timeout(), o.retry(), o.queue(), null, null, null);
    assertThat(config.validate()).isEmpty();
    return new OtlpExporterFactory().create(config, settings);
  }

  @Override
  protected String compressionHeader() {
    return "grpc-encoding";
  }

  @Override
  protected List<Named<Answer>> retryableAnswers() {
    return List.of(
        Named.of("UNAVAILABLE", Answer.grpc(Status.Code.UNAVAILABLE)),
        Named.of("CANCELLED", Answer.grpc(Status.Code.CANCELLED)),
        Named.of("DEADLINE_EXCEEDED", Answer.grpc(Status.Code.DEADLINE_EXCEEDED)),
        Named.of("ABORTED", Answer.grpc(Status.Code.ABORTED)),
        Named.of("OUT_OF_RANGE", Answer.grpc(Status.Code.OUT_OF_RANGE)),
        Named.of("DATA_LOSS", Answer.grpc(Status.Code.DATA_LOSS)),
        Named.of("RESOURCE_EXHAUSTED with RetryInfo",
            Answer.grpc(Status.Code.RESOURCE_EXHAUSTED).retryAfter(Duration.ofMillis(20))));
  }

  @Override
  protected List<Named<Answer>> permanentAnswers() {
    return List.of(
        Named.of("RESOURCE_EXHAUSTED without RetryInfo", Answer.grpc(Status.Code.RESOURCE_EXHAUSTED)),
        Named.of("INVALID_ARGUMENT", Answer.grpc(Status.Code.INVALID_ARGUMENT)),
        Named.of("UNAUTHENTICATED", Answer.grpc(Status.Code.UNAUTHENTICATED)),
        Named.of("PERMISSION_DENIED", Answer.grpc(Status.Code.PERMISSION_DENIED)),
        Named.of("INTERNAL", Answer.grpc(Status.Code.INTERNAL)),
        Named.of("UNIMPLEMENTED", Answer.grpc(Status.Code.UNIMPLEMENTED)));
  }

  @Override
  protected Answer throttled(Duration delay) {
    return Answer.grpc(Status.Code.RESOURCE_EXHAUSTED).retryAfter(delay);
  }

  @Test
  void readsTheRetryInfoDelay() {
    final com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(2).setNanos(500_000_000))
            .build()))
        .build();

    assertThat(OtlpGrpcSender.retryDelay(StatusProto.toStatusRuntimeException(status)))
        .isEqualTo(Duration.ofMillis(2500));
    assertThat(OtlpGrpcSender.retryDelay(Status.RESOURCE_EXHAUSTED.asRuntimeException())).isNull();
  }

  private static final class Backend extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(ExportTraceServiceRequest request,
        StreamObserver<ExportTraceServiceResponse> observer) {
      final ServiceRequestContext ctx = ServiceRequestContext.current();
      final Answer answer = COLLECTOR.arrived(ctx.request().headers(), request);
      final Runnable respond = () -> {
        if (answer.grpcCode() == Status.Code.OK) {
          observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
          observer.onCompleted();
          return;
        }
        final com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
            .setCode(answer.grpcCode().value())
            .setMessage(answer.grpcCode() + " from the test collector");
        if (answer.retryAfter() != null) {
          status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
              com.google.protobuf.Duration.newBuilder()
                  .setSeconds(answer.retryAfter().getSeconds())
                  .setNanos(answer.retryAfter().getNano())).build()));
        }
        observer.onError(StatusProto.toStatusRuntimeException(status.build()));
      };
      final Runnable delayed = answer.delay().isZero() ? respond : () -> ctx.eventLoop()
          .schedule(respond, answer.delay().toNanos(), TimeUnit.NANOSECONDS);
      if (answer.hold() != null) {
        answer.hold().thenRun(() -> ctx.eventLoop().execute(delayed));
      } else {
        delayed.run();
      }
    }
  }
}
