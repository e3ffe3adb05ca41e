package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.Malformed;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.Message;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.OverBudget;
import dev.genainormalizer.receiver.otlp.GrpcMessageReader.TooLarge;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import dev.genainormalizer.receiver.otlp.TraceIntake.Kind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/gRPC {@code TraceService/Export}: a unary gRPC call served as a plain HTTP service rather
 * than through a gRPC framework, so that every byte of it is bounded and counted here. The message
 * is decoded as it arrives ({@link GrpcMessageReader}): a frame longer than {@code
 * max_recv_msg_size_mib} is never read, a compressed one stops inflating one byte past it, and what
 * is held counts against {@code memory_limit}. The answer comes once the client has sent the whole
 * call (up to {@link RequestBody#discardLimit}), so that grpc-java clients see the status rather
 * than a reset stream: OK with the response (or its {@code partial_success}), RESOURCE_EXHAUSTED,
 * INVALID_ARGUMENT, UNIMPLEMENTED for an unknown {@code grpc-encoding}, or UNAVAILABLE with {@code
 * RetryInfo} when the service asks the client to back off.
 */
final class OtlpGrpcTraceService implements HttpService {
  static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /** Messages this small are decoded on the event loop; larger or compressed ones on a worker. */
  private static final int INLINE_DECODE_BYTES = 256 * 1024;

  private final TraceIntake intake;
  private final OtlpReceiverTelemetry telemetry;
  private final ThrottledLogger log;
  private final MemoryBudget budget;
  private final int maxMessageBytes;
  private final int maxRecvMsgSizeMib;
  private final long discardLimit;
  private final int protobufRecursionLimit;

  OtlpGrpcTraceService(
      TraceIntake intake,
      OtlpReceiverTelemetry telemetry,
      ThrottledLogger log,
      MemoryBudget budget,
      int maxRecvMsgSizeMib,
      ReceiverLimits limits) {
    this.intake = intake;
    this.telemetry = telemetry;
    this.log = log;
    this.budget = budget;
    this.maxRecvMsgSizeMib = maxRecvMsgSizeMib;
    this.maxMessageBytes = maxRecvMsgSizeMib * 1024 * 1024;
    this.discardLimit = RequestBody.discardLimit(maxMessageBytes);
    this.protobufRecursionLimit = limits.protobufRecursionLimit();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    final Optional<HttpResponse> notGrpc = GrpcAnswers.notGrpc(req);
    if (notGrpc.isPresent()) {
      telemetry.request(Transport.GRPC, Outcome.FAILURE);
      return notGrpc.get();
    }
    final String format = GrpcAnswers.messageFormat(req);
    if (!format.equals("proto")) {
      return refuseAfterDiscarding(
          ctx,
          req,
          Code.UNIMPLEMENTED,
          "unsupported gRPC message format '" + format + "' (expected: proto)");
    }
    final String encoding = req.headers().get("grpc-encoding");
    final Optional<ContentCoding> coding = ContentCoding.of(encoding);
    if (coding.isEmpty()) {
      return refuseAfterDiscarding(
          ctx,
          req,
          Code.UNIMPLEMENTED,
          "unsupported grpc-encoding '" + encoding + "' (expected: gzip, deflate or identity)");
    }
    // as gRPC servers do, the client's deadline bounds the call instead of the server's default
    clientTimeout(req.headers().get("grpc-timeout"))
        .ifPresent(t -> ctx.setRequestTimeout(TimeoutMode.SET_FROM_NOW, t));
    final Optional<TraceIntake.Result> refusal = intake.refusalBeforeReading(Transport.GRPC);
    if (refusal.isPresent()) {
      // overloaded: the message is discarded unread, so refusing costs no memory (counted by the
      // intake)
      final TraceIntake.Result result = refusal.get();
      return GrpcAnswers.afterDiscarding(
          ctx,
          req,
          discardLimit,
          () -> GrpcAnswers.status(RpcStatuses.unavailable(result.message(), result.retryAfter())));
    }
    final GrpcMessageReader reader = new GrpcMessageReader(coding.get(), maxMessageBytes, budget);
    // inflating megabytes would stall every connection on this event loop: that runs on a worker
    final RequestBody body =
        RequestBody.read(ctx, req, discardLimit, ctx.blockingTaskExecutor(), reader);
    final CompletableFuture<HttpResponse> answer =
        body.end()
            .handle(
                (end, e) -> {
                  if (e != null) {
                    reader.close();
                    log.warn("receiver: reading an OTLP/gRPC request failed", e);
                    telemetry.request(Transport.GRPC, Outcome.FAILURE);
                    return CompletableFuture.completedFuture(
                        GrpcAnswers.status(Code.UNAVAILABLE, TraceIntake.INTERNAL_ERROR));
                  }
                  return answer(ctx, end, reader);
                })
            .thenCompose(f -> f);
    final HttpResponse response = HttpResponse.of(answer);
    // an answer Armeria gives up on (request timeout) stops the reading, which lets go of the
    // message
    response
        .whenComplete()
        .exceptionally(
            e -> {
              body.cancel();
              return null;
            });
    return response;
  }

  private CompletableFuture<HttpResponse> answer(
      ServiceRequestContext ctx, RequestBody.End end, GrpcMessageReader reader) {
    if (end == RequestBody.End.FAILED) {
      // the client went away: nobody reads this
      reader.close();
      return CompletableFuture.completedFuture(GrpcAnswers.status(Code.CANCELLED, "cancelled"));
    }
    final GrpcMessageReader.Outcome outcome =
        end == RequestBody.End.OVER_LIMIT ? new TooLarge() : reader.finish();
    if (outcome instanceof Message message) {
      final ByteString bytes = message.bytes();
      if (bytes.size() <= INLINE_DECODE_BYTES || !ctx.eventLoop().inEventLoop()) {
        return CompletableFuture.completedFuture(decodeAndConsume(bytes, reader));
      }
      return CompletableFuture.supplyAsync(
          () -> decodeAndConsume(bytes, reader), ctx.blockingTaskExecutor());
    }
    reader.close();
    if (outcome instanceof TooLarge) {
      return failure(
          Code.RESOURCE_EXHAUSTED, OtlpGrpcErrorHandler.tooLargeMessage(maxRecvMsgSizeMib));
    }
    if (outcome instanceof OverBudget) {
      telemetry.request(Transport.GRPC, Outcome.REFUSED);
      return CompletableFuture.completedFuture(
          GrpcAnswers.status(
              RpcStatuses.unavailable(
                  "data refused: reading this request would take the service over its memory limit"
                      + " of "
                      + budget.limitBytes()
                      + " bytes; retry later",
                  TraceIntake.MIN_RETRY_AFTER)));
    }
    return failure(Code.INVALID_ARGUMENT, ((Malformed) outcome).message());
  }

  private HttpResponse decodeAndConsume(ByteString bytes, GrpcMessageReader reader) {
    final ExportTraceServiceRequest request;
    try {
      request = ProtobufRequests.parse(bytes.newCodedInput(), protobufRecursionLimit);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      telemetry.request(Transport.GRPC, Outcome.FAILURE);
      return GrpcAnswers.status(
          Code.INVALID_ARGUMENT,
          "invalid OTLP/protobuf ExportTraceServiceRequest: " + OtlpHttpService.describe(e));
    } finally {
      // decoded: the pipelines count the request from here on
      reader.close();
    }
    final TraceIntake.Result result = intake.consume(request, Transport.GRPC);
    if (result.kind() == Kind.ACCEPTED) {
      return GrpcAnswers.ok(result.response());
    }
    if (result.kind() == Kind.INVALID) {
      return GrpcAnswers.status(Code.INVALID_ARGUMENT, result.message());
    }
    if (result.kind() == Kind.REFUSED) {
      return GrpcAnswers.status(RpcStatuses.unavailable(result.message(), result.retryAfter()));
    }
    return GrpcAnswers.status(Code.UNAVAILABLE, result.message());
  }

  /**
   * A {@code grpc-timeout} value (at most 8 digits and a unit, H M S m u n); empty when absent,
   * zero or malformed, which leaves the server's request timeout.
   */
  static Optional<Duration> clientTimeout(String header) {
    if (header == null || header.length() < 2 || header.length() > 9) {
      return Optional.empty();
    }
    final String digits = header.substring(0, header.length() - 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    final long value = Long.parseLong(digits);
    final Duration timeout =
        switch (header.charAt(header.length() - 1)) {
          case 'H' -> Duration.ofHours(value);
          case 'M' -> Duration.ofMinutes(value);
          case 'S' -> Duration.ofSeconds(value);
          case 'm' -> Duration.ofMillis(value);
          case 'u' -> Duration.ofNanos(value * 1000);
          case 'n' -> Duration.ofNanos(value);
          default -> Duration.ZERO;
        };
    return timeout.isZero() ? Optional.empty() : Optional.of(timeout);
  }

  private CompletableFuture<HttpResponse> failure(Code code, String message) {
    telemetry.request(Transport.GRPC, Outcome.FAILURE);
    return CompletableFuture.completedFuture(GrpcAnswers.status(code, message));
  }

  private HttpResponse refuseAfterDiscarding(
      ServiceRequestContext ctx, HttpRequest req, Code code, String message) {
    telemetry.request(Transport.GRPC, Outcome.FAILURE);
    return GrpcAnswers.afterDiscarding(
        ctx, req, discardLimit, () -> GrpcAnswers.status(code, message));
  }
}
