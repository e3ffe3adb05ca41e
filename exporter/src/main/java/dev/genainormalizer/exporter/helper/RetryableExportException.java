package dev.genainormalizer.exporter.helper;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A send that may succeed later (throttled, backend unavailable, timeout). {@code retryAfter} is
 * the delay the backend asked for ({@code Retry-After}, gRPC {@code RetryInfo}); the exporter waits
 * at least that long.
 */
public final class RetryableExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RetryableExportException(String message) {
    this(message, null, null);
  }

  public RetryableExportException(String message, Duration retryAfter) {
    this(message, retryAfter, null);
  }

  public RetryableExportException(String message, Duration retryAfter, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: >= 0)");
    }
    this.retryAfter = retryAfter;
  }

  /** The delay the backend asked for, if it asked. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
