package dev.genainormalizer.receiver.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import dev.genainormalizer.receiver.otlp.TraceIntake.Kind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * OTLP/HTTP traces: {@code POST} of a protobuf or JSON {@code ExportTraceServiceRequest},
 * optionally gzip- or deflate-encoded. Answers as the OTLP specification asks: 200 with an {@code
 * ExportTraceServiceResponse} in the request's encoding, or an error status with a {@code
 * google.rpc.Status} body.
 */
final class OtlpHttpService implements HttpService {
  /** Bodies this small are decoded on the event loop; larger or compressed ones on a worker. */
  private static final int INLINE_DECODE_BYTES = 256 * 1024;

  /** The two OTLP/HTTP payload encodings. */
  enum Encoding {
    PROTOBUF(MediaType.create("application", "x-protobuf")),
    JSON(MediaType.JSON);

    final MediaType responseType;

    Encoding(MediaType responseType) {
      this.responseType = responseType;
    }

    static Optional<Encoding> of(MediaType contentType) {
      if (contentType == null || !"application".equals(contentType.type())) {
        return Optional.empty();
      }
      return switch (contentType.subtype()) {
        case "x-protobuf", "protobuf" -> Optional.of(PROTOBUF);
        case "json" -> Optional.of(JSON);
        default -> Optional.empty();
      };
    }
  }

  private final TraceIntake intake;
  private final OtlpReceiverTelemetry telemetry;
  private final ThrottledLogger log;
  private final int maxBodyBytes;
  private final int protobufRecursionLimit;
  private final JsonFactory jsonDepthScanner;

  OtlpHttpService(
      TraceIntake intake,
      OtlpReceiverTelemetry telemetry,
      ThrottledLogger log,
      int maxBodyBytes,
      ReceiverLimits limits) {
    this.intake = intake;
    this.telemetry = telemetry;
    this.log = log;
    this.maxBodyBytes = maxBodyBytes;
    this.protobufRecursionLimit = limits.protobufRecursionLimit();
    this.jsonDepthScanner =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.jsonNestingDepth())
                    // one attribute value may be as long as the whole body
                    .maxStringLength(Math.max(maxBodyBytes, 1))
                    .maxNumberLength(1000)
                    .build())
            .build();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    final MediaType contentType = req.contentType();
    final Optional<Encoding> encoding = Encoding.of(contentType);
    // errors go back in the request's encoding when it has one we know
    final Encoding errorEncoding = encoding.orElse(Encoding.PROTOBUF);
    if (req.method() != HttpMethod.POST) {
      return failure(
          errorEncoding,
          HttpStatus.METHOD_NOT_ALLOWED,
          Code.UNIMPLEMENTED,
          "method " + req.method() + " not allowed (expected: POST)");
    }
    if (encoding.isEmpty()) {
      return failure(
          Encoding.PROTOBUF,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Type '"
              + (contentType == null ? "" : contentType)
              + "' (expected: application/x-protobuf or application/json)");
    }
    final String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    final Optional<ContentCoding> coding = ContentCoding.of(contentEncoding);
    if (coding.isEmpty()) {
      return failure(
          encoding.get(),
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Encoding '"
              + contentEncoding
              + "' (expected: gzip, deflate or identity)");
    }
    // the server's own cap is higher, so that the authentication decorator could answer first
    ctx.setMaxRequestLength(maxBodyBytes);
    if (req.headers().contentLength() > maxBodyBytes) {
      return tooLarge(encoding.get());
    }
    final Optional<TraceIntake.Result> refusal = intake.refusalBeforeReading(Transport.HTTP);
    if (refusal.isPresent()) {
      // Overloaded: answer without buffering the body, so refusing costs no memory. Armeria
      // discards the unread body (or closes an HTTP/1 connection that keeps sending it).
      return answer(refusal.get(), encoding.get());
    }
    final CompletableFuture<HttpResponse> response =
        req.aggregate()
            .handle(
                (agg, e) -> {
                  if (e != null) {
                    return CompletableFuture.completedFuture(
                        onAggregateFailure(unwrap(e), encoding.get()));
                  }
                  if (coding.get() == ContentCoding.IDENTITY
                      && agg.content().length() <= INLINE_DECODE_BYTES) {
                    return CompletableFuture.completedFuture(
                        handle(agg, encoding.get(), coding.get()));
                  }
                  // inflating and parsing megabytes would stall every connection on this event loop
                  return CompletableFuture.supplyAsync(
                      () -> handle(agg, encoding.get(), coding.get()), ctx.blockingTaskExecutor());
                })
            .thenCompose(f -> f);
    return HttpResponse.of(response);
  }

  private HttpResponse handle(AggregatedHttpRequest agg, Encoding encoding, ContentCoding coding) {
    final byte[] body;
    try {
      final byte[] raw = agg.content().array();
      body = raw.length == 0 ? raw : BoundedDecompressor.decompress(raw, coding, maxBodyBytes);
    } catch (BoundedDecompressor.TooLargeException e) {
      return tooLarge(encoding);
    } catch (IOException e) {
      return badRequest(
          encoding,
          "cannot decode the "
              + coding.name().toLowerCase(Locale.ROOT)
              + " request body: "
              + describe(e));
    }
    final ExportTraceServiceRequest request;
    try {
      request = decode(body, encoding);
    } catch (InvalidProtocolBufferException e) {
      return badRequest(encoding, describe(e));
    }
    return answer(intake.consume(request, Transport.HTTP), encoding);
  }

  private HttpResponse answer(TraceIntake.Result result, Encoding encoding) {
    if (result.kind() == Kind.INVALID) {
      // counted by the intake
      return respond(
          encoding,
          HttpStatus.BAD_REQUEST,
          ResponseHeaders.builder(HttpStatus.BAD_REQUEST),
          RpcStatuses.of(Code.INVALID_ARGUMENT, result.message()));
    }
    if (result.kind() == Kind.ACCEPTED) {
      return respond(
          encoding, HttpStatus.OK, ResponseHeaders.builder(HttpStatus.OK), result.response());
    }
    if (result.kind() == Kind.REFUSED) {
      final ResponseHeadersBuilder headers =
          ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
              .set(HttpHeaderNames.RETRY_AFTER, Long.toString(result.retryAfterSeconds()));
      return respond(
          encoding,
          HttpStatus.SERVICE_UNAVAILABLE,
          headers,
          RpcStatuses.unavailable(result.message(), result.retryAfter()));
    }
    return respond(
        encoding,
        HttpStatus.SERVICE_UNAVAILABLE,
        ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE),
        RpcStatuses.of(Code.UNAVAILABLE, result.message()));
  }

  private ExportTraceServiceRequest decode(byte[] body, Encoding encoding)
      throws InvalidProtocolBufferException {
    if (body.length == 0) {
      // an empty body carries no telemetry; the spec asks for success, in either encoding
      return ExportTraceServiceRequest.getDefaultInstance();
    }
    try {
      if (encoding == Encoding.PROTOBUF) {
        return ProtobufRequests.parse(CodedInputStream.newInstance(body), protobufRecursionLimit);
      }
      checkJsonDepth(body);
      return OtlpJson.parseTraces(body);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidProtocolBufferException(
          "invalid OTLP/"
              + (encoding == Encoding.PROTOBUF ? "protobuf" : "JSON")
              + " ExportTraceServiceRequest: "
              + describe(e));
    } catch (RuntimeException e) {
      // protobuf's JSON parser reports some malformed values this way
      throw new InvalidProtocolBufferException(
          "invalid OTLP/"
              + (encoding == Encoding.PROTOBUF ? "protobuf" : "JSON")
              + " ExportTraceServiceRequest: "
              + describe(e));
    }
  }

  /**
   * One streaming pass that stops at the nesting limit, before the tree parsers (Jackson's, then
   * protobuf's) recurse into the body. Syntax errors are left to the parser, which names them.
   */
  private void checkJsonDepth(byte[] body) throws InvalidProtocolBufferException {
    try (JsonParser parser = jsonDepthScanner.createParser(body)) {
      while (parser.nextToken() != null) {
        // the parser checks the depth as it enters each object or array
      }
    } catch (StreamConstraintsException e) {
      throw new InvalidProtocolBufferException(
          "JSON nested deeper than "
              + jsonDepthScanner.streamReadConstraints().getMaxNestingDepth()
              + " levels (max_anyvalue_depth allows that much)");
    } catch (IOException e) {
      // not JSON at all: the parser reports it with its position
    }
  }

  private HttpResponse onAggregateFailure(Throwable e, Encoding encoding) {
    if (e instanceof ContentTooLargeException) {
      // Armeria answers this one itself through OtlpHttpErrorHandler, which counts it
      return respond(
          encoding,
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          ResponseHeaders.builder(HttpStatus.REQUEST_ENTITY_TOO_LARGE),
          RpcStatuses.of(Code.RESOURCE_EXHAUSTED, tooLargeMessage(maxBodyBytes)));
    }
    log.warn("receiver: could not read an OTLP/HTTP request body: {}", describe(e));
    telemetry.request(Transport.HTTP, Outcome.FAILURE);
    return respond(
        encoding,
        HttpStatus.BAD_REQUEST,
        ResponseHeaders.builder(HttpStatus.BAD_REQUEST),
        RpcStatuses.of(Code.INVALID_ARGUMENT, "cannot read the request body: " + describe(e)));
  }

  private HttpResponse tooLarge(Encoding encoding) {
    return failure(
        encoding,
        HttpStatus.REQUEST_ENTITY_TOO_LARGE,
        Code.RESOURCE_EXHAUSTED,
        tooLargeMessage(maxBodyBytes));
  }

  static String tooLargeMessage(long maxBodyBytes) {
    return "request body is larger than max_request_body_size ("
        + maxBodyBytes
        + " bytes, after decompression)";
  }

  private HttpResponse badRequest(Encoding encoding, String message) {
    return failure(encoding, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, message);
  }

  private HttpResponse failure(Encoding encoding, HttpStatus status, Code code, String message) {
    telemetry.request(Transport.HTTP, Outcome.FAILURE);
    final ResponseHeadersBuilder headers = ResponseHeaders.builder(status);
    if (status == HttpStatus.METHOD_NOT_ALLOWED) {
      headers.set(HttpHeaderNames.ALLOW, "POST");
    }
    return respond(encoding, status, headers, RpcStatuses.of(code, message));
  }

  private static HttpResponse respond(
      Encoding encoding, HttpStatus status, ResponseHeadersBuilder headers, Message body) {
    final byte[] bytes =
        encoding == Encoding.PROTOBUF
            ? body.toByteArray()
            : (body instanceof Status s ? RpcStatuses.toJson(s) : OtlpJson.print(body))
                .getBytes(StandardCharsets.UTF_8);
    return HttpResponse.of(
        headers
            .status(status)
            .contentType(encoding.responseType)
            .contentLength(bytes.length)
            .build(),
        HttpData.wrap(bytes));
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A one-line message for clients: never a stack trace, never more than a few hundred chars. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    final int nl = message.indexOf('\n');
    if (nl >= 0) {
      message = message.substring(0, nl);
    }
    return message.length() <= 500 ? message : message.substring(0, 500) + "...";
  }
}
