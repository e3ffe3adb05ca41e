package dev.genainormalizer.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a stop request, so the main thread can drain queues and exit 0 (a
 * plain shutdown hook would leave the JVM to exit 143). The shutdown hook stays as a fallback for
 * other ways the JVM ends: it requests the stop and waits for the drain to finish.
 */
final class ShutdownSignals {
  private ShutdownSignals() {}

  static void install(Runnable requestStop, CountDownLatch stopped, Duration maxWait) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> requestStop.run());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // Not available on this platform: the shutdown hook below still drains.
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  requestStop.run();
                  try {
                    stopped.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown-hook"));
  }
}
