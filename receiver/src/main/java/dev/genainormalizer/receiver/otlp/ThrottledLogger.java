package dev.genainormalizer.receiver.otlp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval and says how many were left out, so that a client
 * sending garbage in a loop cannot flood the log. Thread-safe.
 */
final class ThrottledLogger {
  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAllowedNanos;
  private final AtomicLong suppressed = new AtomicLong();

  ThrottledLogger(Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAllowedNanos = new AtomicLong(nanoTime.getAsLong());
  }

  /** Logs unless another warning was logged within the interval; a trailing Throwable is kept. */
  void warn(String format, Object... args) {
    if (!logger.isWarnEnabled()) {
      return;
    }
    final long now = nanoTime.getAsLong();
    final long next = nextAllowedNanos.get();
    if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    final long skipped = suppressed.getAndSet(0);
    if (skipped == 0) {
      logger.warn(format, args);
    } else {
      logger.warn(format + " (" + skipped + " similar warnings suppressed)", args);
    }
  }
}
