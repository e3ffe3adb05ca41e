package dev.genainormalizer.app.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one way the app's tests wait: poll a condition until it holds, return as soon as it does,
 * fail after a deadline generous enough for a busy 2-core machine running other builds. Never a
 * fixed sleep, and a counter is read only once a condition shows it has settled.
 */
public final class Await {
  /**
   * Far above what any condition needs on an idle machine; it only bounds how long a failure takes.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final long POLL_MILLIS = 10;

  private Await() {}

  /** Polls {@code condition} until it holds; fails after {@link #TIMEOUT}. */
  public static void until(BooleanSupplier condition, String what) {
    until(TIMEOUT, condition, what);
  }

  /** Polls {@code condition} until it holds; fails after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
