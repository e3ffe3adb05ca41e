package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.HttpStatusClass;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;

/**
 * Turns the HTTP errors Armeria writes itself on the gRPC listener (a request timeout, a malformed
 * request, 413 past the backstop length cap) into trailers-only gRPC answers, so clients see a gRPC
 * status rather than UNKNOWN "HTTP status code ...".
 */
final class OtlpGrpcErrorHandler implements ServerErrorHandler {
  private final OtlpReceiverTelemetry telemetry;
  private final int maxRecvMsgSizeMib;

  OtlpGrpcErrorHandler(OtlpReceiverTelemetry telemetry, int maxRecvMsgSizeMib) {
    this.telemetry = telemetry;
    this.maxRecvMsgSizeMib = maxRecvMsgSizeMib;
  }

  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    return null;
  }

  @Override
  public AggregatedHttpResponse renderStatus(
      ServiceRequestContext ctx,
      ServiceConfig config,
      RequestHeaders headers,
      HttpStatus status,
      String description,
      Throwable cause) {
    if (status.codeClass() != HttpStatusClass.CLIENT_ERROR
        && status.codeClass() != HttpStatusClass.SERVER_ERROR) {
      return null;
    }
    final Code code;
    final String message;
    if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      telemetry.request(Transport.GRPC, Outcome.FAILURE);
      code = Code.RESOURCE_EXHAUSTED;
      message = tooLargeMessage(maxRecvMsgSizeMib);
    } else {
      code =
          switch (status.code()) {
            case 400 -> Code.INTERNAL;
            case 401 -> Code.UNAUTHENTICATED;
            case 403 -> Code.PERMISSION_DENIED;
            case 404, 405 -> Code.UNIMPLEMENTED;
            case 408, 429, 502, 503, 504 -> Code.UNAVAILABLE;
            default -> Code.UNKNOWN;
          };
      message = description == null || description.isBlank() ? status.reasonPhrase() : description;
    }
    return AggregatedHttpResponse.of(
        RpcStatuses.grpcTrailersOnly(RpcStatuses.of(code, message)).build());
  }

  static String tooLargeMessage(int maxRecvMsgSizeMib) {
    return "request message is larger than max_recv_msg_size_mib ("
        + maxRecvMsgSizeMib
        + " MiB, after decompression)";
  }
}
