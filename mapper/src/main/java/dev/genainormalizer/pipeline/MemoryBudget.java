package dev.genainormalizer.pipeline;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service-wide count of telemetry bytes held in memory (queued batches, held traces). Receivers
 * refuse new data while it is over its limit, so the service pushes back instead of running out of
 * heap. Thread-safe.
 */
public final class MemoryBudget {
  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();
  // The batches held in several places at once (the in-memory queues of a fan-out share one batch
  // object), by identity, with how many places hold each: their bytes count once.
  private final Map<TraceBatch, Integer> shared = new IdentityHashMap<>();

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

  /** Whether {@link #tryAcquire} would take {@code bytes} now; counts nothing. */
  public boolean wouldFit(long bytes) {
    final long used = usedBytes.get();
    return used == 0 || used + bytes <= limitBytes;
  }

  /** Counts {@code bytes} unconditionally: for data already accepted that must be kept. */
  public void acquire(long bytes) {
    usedBytes.addAndGet(bytes);
  }

  /**
   * Counts {@code batch} as held by one more place; its {@code bytes} count only when the first
   * place takes it, since every place holds the same object.
   */
  public void acquireShared(TraceBatch batch, long bytes) {
    synchronized (shared) {
      if (shared.merge(batch, 1, Integer::sum) == 1) {
        usedBytes.addAndGet(bytes);
      }
    }
  }

  /** Undoes one {@link #acquireShared}; the bytes go when the last place lets go of the batch. */
  public void releaseShared(TraceBatch batch, long bytes) {
    synchronized (shared) {
      final Integer holders = shared.get(batch);
      if (holders == null) {
        throw new IllegalStateException("releaseShared without acquireShared");
      }
      if (holders == 1) {
        shared.remove(batch);
        usedBytes.addAndGet(-bytes);
      } else {
        shared.put(batch, holders - 1);
      }
    }
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
