package dev.genainormalizer.receiver.otlp;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.HttpStatusClass;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * Turns the HTTP errors Armeria writes before the gRPC service runs (chiefly 413 when the request
 * stream is over the server's length cap) into trailers-only gRPC answers, so clients see
 * RESOURCE_EXHAUSTED rather than UNKNOWN "HTTP status code 413".
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
    final Status.Code code;
    final String message;
    if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      telemetry.request(Transport.GRPC, Outcome.FAILURE);
      code = Status.Code.RESOURCE_EXHAUSTED;
      message = tooLargeMessage(maxRecvMsgSizeMib);
    } else {
      code =
          switch (status.code()) {
            case 400 -> Status.Code.INTERNAL;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404, 405 -> Status.Code.UNIMPLEMENTED;
            case 408, 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.UNKNOWN;
          };
      message = description == null || description.isBlank() ? status.reasonPhrase() : description;
    }
    return AggregatedHttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.parse("application/grpc+proto"))
            .set("grpc-status", Integer.toString(code.value()))
            .set("grpc-message", percentEncode(message))
            .endOfStream(true)
            .build());
  }

  static String tooLargeMessage(int maxRecvMsgSizeMib) {
    return "request message is larger than max_recv_msg_size_mib ("
        + maxRecvMsgSizeMib
        + " MiB, after decompression)";
  }

  /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec). */
  private static String percentEncode(String message) {
    final StringBuilder sb = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      if (b >= ' ' && b < '~' && b != '%') {
        sb.append((char) b);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }
}
