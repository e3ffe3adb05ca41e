package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The answers of the OTLP/gRPC listener, as the gRPC over HTTP/2 specification has them: an
 * unframed HTTP error for what is not a gRPC call, a trailers-only status for a failed call, and a
 * response message with {@code grpc-status: 0} trailers for a successful one.
 */
final class GrpcAnswers {
  static final MediaType GRPC_PROTO = MediaType.parse("application/grpc+proto");

  /** The message codings the listener decodes, for {@code grpc-accept-encoding}. */
  static final String ACCEPT_ENCODING = "gzip,deflate,identity";

  private GrpcAnswers() {}

  /**
   * The HTTP answer to a request that is not a gRPC call at all: not a POST (405), or without an
   * {@code application/grpc} content type (415, as the specification asks); empty for a gRPC call.
   * Such a client reads no gRPC status, so the body is plain text.
   */
  static Optional<HttpResponse> notGrpc(HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return Optional.of(
          plain(
              ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                  .set(HttpHeaderNames.ALLOW, "POST"),
              "gRPC calls are POST requests, not " + req.method()));
    }
    final MediaType type = req.contentType();
    if (type == null
        || !"application".equals(type.type())
        || !(type.subtype().equals("grpc") || type.subtype().startsWith("grpc+"))) {
      return Optional.of(
          plain(
              ResponseHeaders.builder(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
              "unsupported Content-Type '"
                  + (type == null ? "" : type)
                  + "' (expected: application/grpc or application/grpc+proto)"));
    }
    return Optional.empty();
  }

  /**
   * The gRPC message format of a gRPC call's content type: {@code proto} unless it names another.
   */
  static String messageFormat(HttpRequest req) {
    final String subtype = req.contentType().subtype();
    return subtype.equals("grpc") ? "proto" : subtype.substring("grpc+".length());
  }

  /** A trailers-only answer with {@code status}. */
  static HttpResponse status(com.google.rpc.Status status) {
    return HttpResponse.of(RpcStatuses.grpcTrailersOnly(status).build());
  }

  static HttpResponse status(Code code, String message) {
    return status(RpcStatuses.of(code, message));
  }

  /** {@code message} as the call's one response message, uncompressed, then status OK. */
  static HttpResponse ok(Message message) {
    final byte[] bytes = message.toByteArray();
    final ByteBuffer frame = ByteBuffer.allocate(GrpcMessageReader.FRAME_HEADER + bytes.length);
    frame.put((byte) 0).putInt(bytes.length).put(bytes);
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(GRPC_PROTO)
            .set("grpc-accept-encoding", ACCEPT_ENCODING)
            .build(),
        HttpData.wrap(frame.array()),
        HttpHeaders.of("grpc-status", "0"));
  }

  /**
   * {@code answer}, given once the request body has been read to its end (and discarded) or past
   * {@code discardLimit}: see {@link RequestBody} for why a gRPC answer waits for the whole call.
   */
  static HttpResponse afterDiscarding(
      ServiceRequestContext ctx,
      HttpRequest req,
      long discardLimit,
      Supplier<HttpResponse> answer) {
    return HttpResponse.of(
        RequestBody.discard(ctx, req, discardLimit).handle((end, e) -> answer.get()));
  }

  private static HttpResponse plain(ResponseHeadersBuilder headers, String text) {
    return HttpResponse.of(
        headers.contentType(MediaType.PLAIN_TEXT_UTF_8).build(), HttpData.ofUtf8(text + "\n"));
  }
}
