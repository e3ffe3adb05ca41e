package dev.genainormalizer.app;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns SIGTERM and SIGINT into a stop request, so the main thread can drain queues and exit 0 (a
 * plain shutdown hook would leave the JVM to exit 143). The stop's deadline is fixed when the
 * signal arrives, not when the main thread gets to it. The shutdown hook stays as a fallback for
 * other ways the JVM ends: it requests the stop and waits for it to finish.
 */
final class ShutdownSignals {
  /** How long the shutdown hook waits past the deadline for the stop to finish. */
  static final Duration HOOK_MARGIN = Duration.ofSeconds(5);

  private final Duration shutdownTimeout;
  private final Clock clock;
  private final AtomicReference<ShutdownDeadline> deadline = new AtomicReference<>();
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  ShutdownSignals(Duration shutdownTimeout, Clock clock) {
    this.shutdownTimeout = shutdownTimeout;
    this.clock = clock;
  }

  /** Sends SIGTERM and SIGINT, and the JVM's own shutdown, to {@link #request}. */
  ShutdownSignals install() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> request());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // Not available on this platform: the shutdown hook below still drains.
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  request();
                  try {
                    stopped.await(
                        shutdownTimeout.plus(HOOK_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown-hook"));
    return this;
  }

  /** Requests the stop; the first request fixes the deadline. */
  void request() {
    deadline.compareAndSet(null, ShutdownDeadline.after(shutdownTimeout, clock));
    requested.countDown();
  }

  /**
   * Blocks until the stop is requested and returns its deadline; if interrupted, stops with a
   * deadline counted from now.
   */
  ShutdownDeadline awaitRequest() {
    try {
      requested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request();
    }
    return deadline.get();
  }

  /** Tells the shutdown hook the stop is over, so the JVM may exit. */
  void stopped() {
    stopped.countDown();
  }
}
