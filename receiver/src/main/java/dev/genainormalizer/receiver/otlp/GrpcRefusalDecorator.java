package dev.genainormalizer.receiver.otlp;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.util.Base64;
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
    final com.google.rpc.Status status = RpcStatuses.unavailable(result.message(), result.retryAfter());
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.parse("application/grpc+proto"))
            .set("grpc-status", Integer.toString(io.grpc.Status.Code.UNAVAILABLE.value()))
            .set("grpc-message", percentEncoded(result.message()))
            .set("grpc-status-details-bin",
                Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()))
            .endOfStream(true)
            .build());
  }

  /** grpc-message as the gRPC spec wants it: printable ASCII but '%' as is, the rest as %XX of UTF-8. */
  private static String percentEncoded(String message) {
    final StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
