package dev.genainormalizer.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The service-wide count of telemetry bytes held in memory (queued batches, held traces). Receivers
 * refuse new data while it is over its limit, so the service pushes back instead of running out of
 * heap. Thread-safe.
 */
public final class MemoryBudget {
  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  public MemoryBudget(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("limitBytes: " + limitBytes + " (expected: > 0)");
    }
    this.limitBytes = limitBytes;
  }

  /** A budget that never refuses, for tests and tools that hold nothing long. */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE);
  }

  /**
   * Counts {@code bytes} if they fit under the limit (or nothing is held: one request larger than
   * the limit must still get through an idle service); false, counting nothing, when they do not.
   * Checking and counting in one step keeps concurrent requests from all passing a check that only
   * one of them fits.
   */
  public boolean tryAcquire(long bytes) {
    while (true) {
      final long used = usedBytes.get();
      if (used > 0 && used + bytes > limitBytes) {
        return false;
      }
      if (usedBytes.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  /** Counts {@code bytes} unconditionally: for data already accepted that must be kept. */
  public void acquire(long bytes) {
    usedBytes.addAndGet(bytes);
  }

  public void release(long bytes) {
    usedBytes.addAndGet(-bytes);
  }

  public boolean isExceeded() {
    return usedBytes.get() > limitBytes;
  }

  public long usedBytes() {
    return usedBytes.get();
  }

  public long limitBytes() {
    return limitBytes;
  }
}
