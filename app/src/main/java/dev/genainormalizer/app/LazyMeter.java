package dev.genainormalizer.app;

import java.util.function.Supplier;

/**
 * A meter registered on first use and kept: a series appears in the registry only once it has a
 * value, as when each use asked the registry. Two threads racing on the first use both register,
 * and the registry hands both the same meter.
 */
final class LazyMeter<M> {
  private final Supplier<M> register;
  private volatile M meter;

  LazyMeter(Supplier<M> register) {
    this.register = register;
  }

  M get() {
    M m = meter;
    if (m == null) {
      m = register.get();
      meter = m;
    }
    return m;
  }
}
