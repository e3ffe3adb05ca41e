package dev.genainormalizer.bench;

import java.util.Locale;
import java.util.Optional;

/**
 * The load benchmark's pass/fail verdict for {@code --check} and {@code --check-no-shed}: a
 * regression gate to run before a release on a quiet machine, not in unit tests.
 *
 * @param maxRatio the highest ratio to the protobuf floor that passes; 0 for no bound
 * @param noShed whether any span shed ({@code enqueue_failed}) in the measured phase fails
 */
record ReleaseCheck(double maxRatio, boolean noShed) {

  ReleaseCheck {
    if (maxRatio < 0 || Double.isNaN(maxRatio)) {
      throw new IllegalArgumentException("--check " + maxRatio + " (expected: a ratio above 0)");
    }
  }

  boolean enabled() {
    return maxRatio > 0 || noShed;
  }

  /** Why run {@code run} fails the check, in one line; empty when it passes. */
  Optional<String> failure(String run, double ratio, double enqueueFailed) {
    // NaN (no CPU figure) fails too: a check that cannot measure must not pass
    if (maxRatio > 0 && !(ratio <= maxRatio)) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "%s: the service spends %.1f times the protobuf floor per span (bound: %s)",
              run,
              ratio,
              bound()));
    }
    if (noShed && !(enqueueFailed <= 0)) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "%s: the exporter shed %.0f spans in the measured phase (--check-no-shed)",
              run,
              enqueueFailed));
    }
    return Optional.empty();
  }

  private String bound() {
    return maxRatio == Math.rint(maxRatio)
        ? String.valueOf((long) maxRatio)
        : String.valueOf(maxRatio);
  }
}
