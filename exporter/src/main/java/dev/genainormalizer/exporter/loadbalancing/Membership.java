package dev.genainormalizer.exporter.loadbalancing;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver's last answer, refreshed at most once per interval of the injected clock. A failed
 * resolution keeps the last known endpoints (a DNS hiccup must not empty the ring) and is counted.
 * Not thread-safe: driven by the exporter's one resolver thread (and by start()).
 */
final class Membership {
  private static final Logger logger = LoggerFactory.getLogger(Membership.class);

  private final EndpointResolver resolver;
  private final Clock clock;
  private final long intervalNanos;
  private final Runnable onFailure;
  private List<String> current = List.of();
  private long nextDueNanos;
  private boolean resolvedOnce;

  Membership(EndpointResolver resolver, Clock clock, Duration interval, Runnable onFailure) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.intervalNanos = interval.toNanos();
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  List<String> current() {
    return current;
  }

  /**
   * Resolves again when the interval has passed since the last attempt (or never was one).
   *
   * @return the new endpoints when they changed, else null
   */
  List<String> refreshIfDue() {
    final long now = clock.monotonicTime();
    if (resolvedOnce && (!resolver.dynamic() || now - nextDueNanos < 0)) {
      return null;
    }
    resolvedOnce = true;
    nextDueNanos = now + intervalNanos;
    final List<String> next;
    try {
      next = List.copyOf(resolver.resolve());
    } catch (Exception e) {
      onFailure.run();
      logger.warn("resolving {} failed, keeping {}: {}", resolver, current, e.toString());
      return null;
    }
    if (next.equals(current)) {
      return null;
    }
    logger.info("{}: endpoints {} -> {}", resolver, current, next);
    current = next;
    return next;
  }
}
