package dev.genainormalizer.app;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;

/**
 * When the whole stop must be over: {@code service.shutdown_timeout} after the stop was requested
 * (the signal). Computed once and handed to every stage, so that the time one stage takes is not
 * given again to the next.
 */
final class ShutdownDeadline {
  /**
   * What the last steps get past the deadline: an exporter closing its client after it gave up, the
   * admin port closing, the last push of the service's metrics. Nothing is sent in this time.
   */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final Clock clock;
  private final long requestedNanos;
  private final Duration timeout;

  private ShutdownDeadline(Clock clock, long requestedNanos, Duration timeout) {
    this.clock = clock;
    this.requestedNanos = requestedNanos;
    this.timeout = timeout;
  }

  /** The deadline of a stop requested now. */
  static ShutdownDeadline after(Duration timeout, Clock clock) {
    return new ShutdownDeadline(clock, clock.monotonicTime(), timeout);
  }

  /** Time left until the deadline; zero once it has passed. */
  Duration remaining() {
    return left(0);
  }

  /** Time left until the {@link #GRACE} after the deadline is over; zero once it is. */
  Duration remainingGrace() {
    return left(GRACE.toNanos());
  }

  private Duration left(long pastDeadlineNanos) {
    return Duration.ofNanos(
        Math.max(
            0, requestedNanos + timeout.toNanos() + pastDeadlineNanos - clock.monotonicTime()));
  }

  /** Time since the stop was requested. */
  Duration elapsed() {
    return Duration.ofNanos(clock.monotonicTime() - requestedNanos);
  }

  Duration timeout() {
    return timeout;
  }
}
