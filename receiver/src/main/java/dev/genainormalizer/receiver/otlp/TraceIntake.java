package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.TraceConsumer;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;

/**
 * Hands a decoded request to the pipelines and turns their answer into what both transports send
 * back, counting spans on the way. Shared by the gRPC and HTTP endpoints so they answer alike.
 */
final class TraceIntake {
  static final String DEFAULT_REFUSAL =
      "data refused: the service is over its memory budget; retry later";
  static final String INTERNAL_ERROR =
      "data not processed because of an internal error; retry later";

  /** Suggested when the pipelines refuse without saying how long to wait. */
  static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

  enum Kind {
    /** 200 / OK with {@link Result#response()}. */
    ACCEPTED,
    /** The service is overloaded: 503 + Retry-After / UNAVAILABLE + RetryInfo. */
    REFUSED,
    /** The pipelines failed unexpectedly: 503 / UNAVAILABLE without a delay hint. */
    FAILED,
    /** The request breaks a {@link ReceiverLimits} limit: 400 / INVALID_ARGUMENT, not retried. */
    INVALID
  }

  /**
   * @param response the export response when {@link Kind#ACCEPTED}, with {@code partial_success}
   *     filled when the pipelines rejected spans or left a warning
   * @param message for the client when not accepted
   * @param retryAfter when {@link Kind#REFUSED}: at least {@link #MIN_RETRY_AFTER}
   */
  record Result(
      Kind kind, ExportTraceServiceResponse response, String message, Duration retryAfter) {
    static final Result EMPTY_OK =
        new Result(
            Kind.ACCEPTED, ExportTraceServiceResponse.getDefaultInstance(), "", Duration.ZERO);

    /** {@code Retry-After} in whole seconds, rounded up. */
    long retryAfterSeconds() {
      final long s = retryAfter.getSeconds();
      return retryAfter.getNano() > 0 ? s + 1 : s;
    }
  }

  private final String receiverId;
  private final TraceConsumer consumer;
  private final OtlpReceiverTelemetry telemetry;
  private final ThrottledLogger log;
  private final RequestLimits limits;

  TraceIntake(
      String receiverId,
      TraceConsumer consumer,
      OtlpReceiverTelemetry telemetry,
      ThrottledLogger log,
      ReceiverLimits limits) {
    this.receiverId = receiverId;
    this.consumer = consumer;
    this.telemetry = telemetry;
    this.log = log;
    this.limits = new RequestLimits(limits);
  }

  /**
   * The refusal to answer before reading a request, when the pipelines would refuse any request
   * now; counted as a refused request (its spans are not known).
   */
  java.util.Optional<Result> refusalBeforeReading(Transport transport) {
    final java.util.Optional<ConsumeResult> refusal;
    try {
      refusal = consumer.refusal();
    } catch (RuntimeException e) {
      log.warn("receiver {}: asking the pipelines whether they take data failed", receiverId, e);
      return java.util.Optional.empty(); // consume() decides
    }
    if (refusal.isEmpty() || refusal.get().accepted()) {
      return java.util.Optional.empty();
    }
    telemetry.request(transport, Outcome.REFUSED);
    return java.util.Optional.of(refused(refusal.get()));
  }

  private static Result refused(ConsumeResult answer) {
    final String message = answer.message().isEmpty() ? DEFAULT_REFUSAL : answer.message();
    final Duration retryAfter =
        answer.retryAfter().compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : answer.retryAfter();
    return new Result(Kind.REFUSED, null, message, retryAfter);
  }

  Result consume(ExportTraceServiceRequest request, Transport transport) {
    final java.util.Optional<String> violation = limits.violation(request);
    if (violation.isPresent()) {
      telemetry.request(transport, Outcome.FAILURE);
      return new Result(Kind.INVALID, null, violation.get(), Duration.ZERO);
    }
    final TraceBatch batch = TraceBatch.of(request);
    if (batch.isEmpty()) {
      // the spec asks servers to answer an empty request with success; the pipelines never see it
      telemetry.request(transport, Outcome.SUCCESS);
      return Result.EMPTY_OK;
    }
    final int spans = batch.spanCount();
    final ConsumeResult answer;
    try {
      answer = consumer.consume(batch);
      if (answer == null) {
        throw new IllegalStateException("TraceConsumer returned null");
      }
    } catch (RuntimeException e) {
      telemetry.refused(transport, spans);
      telemetry.request(transport, Outcome.REFUSED);
      log.warn(
          "receiver {}: pipelines failed on a batch of {} spans received over {}; answered as"
              + " retryable",
          receiverId,
          spans,
          transport.tag,
          e);
      return new Result(Kind.FAILED, null, INTERNAL_ERROR, Duration.ZERO);
    }
    if (!answer.accepted()) {
      telemetry.refused(transport, spans);
      telemetry.request(transport, Outcome.REFUSED);
      return refused(answer);
    }
    final long rejected = Math.max(0, Math.min(spans, answer.rejectedSpans()));
    telemetry.accepted(transport, spans - rejected);
    telemetry.refused(transport, rejected);
    telemetry.request(transport, Outcome.SUCCESS);
    if (rejected == 0 && answer.message().isEmpty()) {
      return Result.EMPTY_OK;
    }
    // a message without rejected spans is a warning, which the spec allows in partial_success
    final ExportTraceServiceResponse response =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejected)
                    .setErrorMessage(
                        answer.message().isEmpty()
                            ? rejected + " spans rejected"
                            : answer.message()))
            .build();
    return new Result(Kind.ACCEPTED, response, "", Duration.ZERO);
  }
}
