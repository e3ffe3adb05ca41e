package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.HttpStatusClass;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpHttpService.Encoding;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.nio.charset.StandardCharsets;

/**
 * Gives the answers Armeria writes itself (a {@code Content-Length} over the limit, a request
 * timeout, a malformed request) the OTLP shape: a {@code google.rpc.Status} body in the request's
 * encoding instead of Armeria's plain text.
 */
final class OtlpHttpErrorHandler implements ServerErrorHandler {
  private final OtlpReceiverTelemetry telemetry;
  private final long maxBodyBytes;

  OtlpHttpErrorHandler(OtlpReceiverTelemetry telemetry, long maxBodyBytes) {
    this.telemetry = telemetry;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    // fall back to Armeria's default, which renders through renderStatus below
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
    final Encoding encoding =
        headers == null
            ? Encoding.PROTOBUF
            : Encoding.of(headers.contentType()).orElse(Encoding.PROTOBUF);
    final String message;
    final Code code;
    if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      telemetry.request(Transport.HTTP, Outcome.FAILURE);
      code = Code.RESOURCE_EXHAUSTED;
      message = OtlpHttpService.tooLargeMessage(maxBodyBytes);
    } else {
      code =
          status.codeClass() == HttpStatusClass.CLIENT_ERROR
              ? Code.INVALID_ARGUMENT
              : Code.UNAVAILABLE;
      // Armeria's descriptions are short and never carry a stack trace unless verbose responses
      // are switched on, which this service does not do
      message = description == null || description.isBlank() ? status.reasonPhrase() : description;
    }
    final com.google.rpc.Status body = RpcStatuses.of(code, message);
    final byte[] bytes =
        encoding == Encoding.PROTOBUF
            ? body.toByteArray()
            : RpcStatuses.toJson(body).getBytes(StandardCharsets.UTF_8);
    return AggregatedHttpResponse.of(
        ResponseHeaders.builder(status).contentType(encoding.responseType).build(),
        HttpData.wrap(bytes));
  }
}
