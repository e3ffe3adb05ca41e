package dev.genainormalizer.logging;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Lets one message through per interval and counts the ones held back, so that an outage, or a
 * client sending garbage in a loop, produces a log line every few seconds with a count instead of
 * one line per batch. Thread-safe. The one throttle of the service: receivers call {@link #warn},
 * exporters that compose their own message call {@link #tryLog}.
 */
public final class ThrottledLogger {
  private final Logger logger;
  private final Clock clock;
  private final long intervalNanos;
  private final AtomicLong nextAllowedNanos;
  private final AtomicLong suppressed = new AtomicLong();

  /**
   * @param logger where {@link #warn} writes
   * @param clock its monotonic time paces the messages
   * @param interval at most one message per interval; zero lets every one through
   */
  public ThrottledLogger(Logger logger, Clock clock, Duration interval) {
    this.logger = Objects.requireNonNull(logger, "logger");
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
   * messages held back since the last one that went through (to put in the message, see {@link
   * #suppressedNote}).
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

  /**
   * Logs a warning unless another went through within the interval; the count of those held back is
   * appended. A trailing Throwable argument is logged as the cause, as SLF4J does.
   */
  public void warn(String format, Object... args) {
    if (!logger.isWarnEnabled()) {
      return;
    }
    final long held = tryLog();
    if (held >= 0) {
      logger.warn(format + suppressedNote(held), args);
    }
  }

  /** {@code " (N similar messages suppressed)"}, or nothing when none were. */
  public static String suppressedNote(long suppressed) {
    return suppressed > 0 ? " (" + suppressed + " similar messages suppressed)" : "";
  }
}
