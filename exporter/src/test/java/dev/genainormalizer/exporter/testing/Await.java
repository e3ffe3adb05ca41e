package dev.genainormalizer.exporter.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way the exporter's tests wait: polls a condition until it holds, returns as soon as it
 * does, fails after a timeout generous enough for a busy 2-core machine running other builds.
 */
public final class Await {
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + TIMEOUT + " waiting until " + what + " " + state.get());
      }
      LockSupport.parkNanos(2_000_000);
    }
  }
}
