package dev.genainormalizer.app;

import dev.genainormalizer.receiver.ConsumeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The door between the receivers and the pipelines, closed once when the service stops. A request
 * that gets through is processed and queued before {@link #awaitEmpty} returns, so that what the
 * receivers acknowledged is in the exporters' queues before they drain; once closed, every request
 * is refused (HTTP 503 + {@code Retry-After} / gRPC {@code UNAVAILABLE} + {@code RetryInfo}),
 * before its body is read where the receiver can, and the client sends it again, to another
 * instance.
 */
final class IntakeGate {
  static final ConsumeResult STOPPING =
      ConsumeResult.refused(
          "data refused: the service is stopping; retry later", Duration.ofSeconds(1));
  private static final long POLL_NANOS = 1_000_000;

  private volatile boolean closed;
  private final AtomicInteger inside = new AtomicInteger();

  /**
   * Runs {@code consume} unless the gate is closed, then answers {@link #STOPPING}. Never blocks.
   */
  ConsumeResult pass(Supplier<ConsumeResult> consume) {
    if (closed) {
      return STOPPING;
    }
    inside.incrementAndGet();
    try {
      // Checked again after counting in: close() either sees this request or this request sees it.
      return closed ? STOPPING : consume.get();
    } finally {
      inside.decrementAndGet();
    }
  }

  /** {@link #STOPPING} once closed, for receivers that ask before reading a request. */
  Optional<ConsumeResult> refusal() {
    return closed ? Optional.of(STOPPING) : Optional.empty();
  }

  /** Refuses every request from now on. */
  void close() {
    closed = true;
  }

  /**
   * Waits until the requests let in before {@link #close} are processed, or the deadline. Requests
   * never block in the pipelines, so this is a matter of microseconds.
   *
   * @return false if some were still being processed at the deadline
   */
  boolean awaitEmpty(ShutdownDeadline deadline) {
    while (inside.get() > 0) {
      if (deadline.remaining().isZero() || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return true;
  }
}
