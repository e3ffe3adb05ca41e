package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.util.Optional;

/**
 * Every other path on the OTLP/gRPC listener: {@code UNIMPLEMENTED} naming the one method served
 * (as a gRPC server answers an unknown service or method), after the call has been discarded.
 */
final class GrpcUnimplementedService implements HttpService {
  private final OtlpReceiverTelemetry telemetry;
  private final long discardLimit;

  GrpcUnimplementedService(OtlpReceiverTelemetry telemetry, long discardLimit) {
    this.telemetry = telemetry;
    this.discardLimit = discardLimit;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    telemetry.request(Transport.GRPC, Outcome.FAILURE);
    final Optional<HttpResponse> notGrpc = GrpcAnswers.notGrpc(req);
    if (notGrpc.isPresent()) {
      return notGrpc.get();
    }
    final String method = ctx.path().startsWith("/") ? ctx.path().substring(1) : ctx.path();
    return GrpcAnswers.afterDiscarding(
        ctx,
        req,
        discardLimit,
        () ->
            GrpcAnswers.status(
                Code.UNIMPLEMENTED,
                "unknown method '"
                    + RequestLimits.abbreviate(method)
                    + "' (this listener serves "
                    + OtlpGrpcTraceService.PATH.substring(1)
                    + ")"));
  }
}
