package dev.genainormalizer.receiver.otlp;

import com.google.rpc.Code;
import com.google.rpc.Status;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.receiver.otlp.OtlpHttpService.Encoding;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import java.nio.charset.StandardCharsets;

/** 404 for any path but the traces path, with a {@code google.rpc.Status} naming the right one. */
final class NotFoundService implements HttpService {
  private final byte[] protobufBody;
  private final byte[] jsonBody;
  private final OtlpReceiverTelemetry telemetry;

  NotFoundService(String tracesPath, OtlpReceiverTelemetry telemetry) {
    final Status status =
        RpcStatuses.of(
            Code.NOT_FOUND,
            "no OTLP endpoint here (traces are accepted at POST " + tracesPath + ")");
    this.protobufBody = status.toByteArray();
    this.jsonBody = RpcStatuses.toJson(status).getBytes(StandardCharsets.UTF_8);
    this.telemetry = telemetry;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    telemetry.request(Transport.HTTP, Outcome.FAILURE);
    final Encoding encoding = Encoding.of(req.contentType()).orElse(Encoding.PROTOBUF);
    final byte[] body = encoding == Encoding.JSON ? jsonBody : protobufBody;
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.NOT_FOUND)
            .contentType(encoding.responseType)
            .contentLength(body.length)
            .build(),
        HttpData.wrap(body));
  }
}
