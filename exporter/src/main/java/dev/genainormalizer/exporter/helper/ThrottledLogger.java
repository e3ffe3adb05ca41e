package dev.genainormalizer.exporter.helper;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message through per interval and counts the ones held back, so an outage produces a log
 * line every few seconds with a count instead of one line per batch. Thread-safe.
 */
public final class ThrottledLogger {
  private final Clock clock;
  private final long intervalNanos;
  private final AtomicLong nextAllowedNanos;
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLogger(Clock clock, Duration interval) {
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0)");
    }
    this.intervalNanos = interval.toNanos();
    this.nextAllowedNanos = new AtomicLong(clock.monotonicTime());
  }

  /**
   * Whether the caller may log now. Returns -1 when it must stay quiet, otherwise the number of
   * messages held back since the last one that went through (to put in the message).
   */
  public long tryLog() {
    final long now = clock.monotonicTime();
    final long next = nextAllowedNanos.get();
    if (now - next >= 0 && nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }

  /** {@code " (N similar messages suppressed)"}, or nothing when none were. */
  public static String suppressedNote(long suppressed) {
    return suppressed > 0 ? " (" + suppressed + " similar messages suppressed)" : "";
  }
}
