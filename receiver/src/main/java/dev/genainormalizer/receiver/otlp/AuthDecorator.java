package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpHttpService.Encoding;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.nio.charset.StandardCharsets;

/**
 * Refuses requests without valid credentials before anything decodes their body, and before their
 * size is checked: 401 with {@code WWW-Authenticate} on OTLP/HTTP, {@code UNAUTHENTICATED} on
 * OTLP/gRPC (once the call has been discarded, so that gRPC clients see the status).
 */
final class AuthDecorator implements DecoratingHttpServiceFunction {
  static final String MESSAGE = "missing or invalid credentials in the Authorization header";

  private final Authenticator authenticator;
  private final Transport transport;
  private final OtlpReceiverTelemetry telemetry;
  private final long grpcDiscardLimit;

  /**
   * @param grpcDiscardLimit on {@link Transport#GRPC}: how much of a call is read and discarded
   *     before it is answered (see {@link RequestBody})
   */
  AuthDecorator(
      Authenticator authenticator,
      Transport transport,
      OtlpReceiverTelemetry telemetry,
      long grpcDiscardLimit) {
    this.authenticator = authenticator;
    this.transport = transport;
    this.telemetry = telemetry;
    this.grpcDiscardLimit = grpcDiscardLimit;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    if (authenticator.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      return delegate.serve(ctx, req);
    }
    telemetry.request(transport, Outcome.FAILURE);
    if (transport == Transport.GRPC) {
      // discarded, not kept: refusing costs no memory
      return GrpcAnswers.afterDiscarding(
          ctx,
          req,
          grpcDiscardLimit,
          () ->
              HttpResponse.of(
                  RpcStatuses.grpcTrailersOnly(RpcStatuses.of(Code.UNAUTHENTICATED, MESSAGE))
                      .set(HttpHeaderNames.WWW_AUTHENTICATE, authenticator.challenge())
                      .build()));
    }
    // the body is never read: release it at once
    req.abort();
    final Encoding encoding = Encoding.of(req.contentType()).orElse(Encoding.PROTOBUF);
    final com.google.rpc.Status status = RpcStatuses.of(Code.UNAUTHENTICATED, MESSAGE);
    final byte[] body =
        encoding == Encoding.PROTOBUF
            ? status.toByteArray()
            : RpcStatuses.toJson(status).getBytes(StandardCharsets.UTF_8);
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
            .contentType(encoding.responseType)
            .set(HttpHeaderNames.WWW_AUTHENTICATE, authenticator.challenge())
            .contentLength(body.length)
            .build(),
        HttpData.wrap(body));
  }
}
