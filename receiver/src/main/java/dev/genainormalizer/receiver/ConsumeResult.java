package dev.genainormalizer.receiver;

import java.time.Duration;
import java.util.Objects;

/**
 * The pipelines' answer to one received batch, which the receiver turns into the OTLP response.
 *
 * @param accepted false when the service refused the batch (over its memory budget): the receiver
 *     answers HTTP 503 / gRPC UNAVAILABLE with {@code retryAfter}
 * @param rejectedSpans spans refused as invalid, reported in {@code partial_success}
 * @param message the partial-success or refusal message; empty when none
 * @param retryAfter how long the client should wait before retrying a refused batch
 */
public record ConsumeResult(
    boolean accepted, long rejectedSpans, String message, Duration retryAfter) {
  public static final ConsumeResult ACCEPTED = new ConsumeResult(true, 0, "", Duration.ZERO);

  public ConsumeResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public static ConsumeResult partiallyAccepted(long rejectedSpans, String message) {
    return new ConsumeResult(true, rejectedSpans, message, Duration.ZERO);
  }

  public static ConsumeResult refused(String message, Duration retryAfter) {
    return new ConsumeResult(false, 0, message, retryAfter);
  }
}
