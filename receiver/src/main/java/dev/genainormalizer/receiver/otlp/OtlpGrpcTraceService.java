package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import dev.genainormalizer.receiver.otlp.TraceIntake.Kind;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/**
 * OTLP/gRPC {@code TraceService/Export}. Decoding, decompression and the message size limit are
 * Armeria's; this maps the pipelines' answer to OK, OK with {@code partial_success}, or UNAVAILABLE
 * (with {@code RetryInfo} when the service asks the client to back off).
 */
final class OtlpGrpcTraceService extends TraceServiceGrpc.TraceServiceImplBase {
  private final TraceIntake intake;

  OtlpGrpcTraceService(TraceIntake intake) {
    this.intake = intake;
  }

  @Override
  public void export(
      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
    final TraceIntake.Result result = intake.consume(request, Transport.GRPC);
    if (result.kind() == Kind.ACCEPTED) {
      observer.onNext(result.response());
      observer.onCompleted();
    } else if (result.kind() == Kind.INVALID) {
      observer.onError(
          StatusProto.toStatusRuntimeException(
              RpcStatuses.of(Code.INVALID_ARGUMENT, result.message())));
    } else if (result.kind() == Kind.REFUSED) {
      observer.onError(
          StatusProto.toStatusRuntimeException(
              RpcStatuses.unavailable(result.message(), result.retryAfter())));
    } else {
      observer.onError(
          StatusProto.toStatusRuntimeException(RpcStatuses.of(Code.UNAVAILABLE, result.message())));
    }
  }
}
