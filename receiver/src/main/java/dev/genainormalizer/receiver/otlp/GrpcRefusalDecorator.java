package dev.genainormalizer.receiver.otlp;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.util.Optional;

/**
 * While the pipelines refuse any request (over the memory budget, a queue full), answers an
 * OTLP/gRPC call with {@code UNAVAILABLE} and a {@code RetryInfo} detail before the message is read
 * and decoded, so that a flood of refused calls costs no memory. The same answer as a refusal after
 * decoding, as a trailers-only response.
 */
final class GrpcRefusalDecorator implements DecoratingHttpServiceFunction {
  private final TraceIntake intake;

  GrpcRefusalDecorator(TraceIntake intake) {
    this.intake = intake;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    final Optional<TraceIntake.Result> refusal = intake.refusalBeforeReading(Transport.GRPC);
    if (refusal.isEmpty()) {
      return delegate.serve(ctx, req);
    }
    req.abort(); // never read
    final TraceIntake.Result result = refusal.get();
    return HttpResponse.of(
        RpcStatuses.grpcTrailersOnly(RpcStatuses.unavailable(result.message(), result.retryAfter())).build());
  }
}
