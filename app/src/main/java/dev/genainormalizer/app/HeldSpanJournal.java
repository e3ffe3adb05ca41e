package dev.genainormalizer.app;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.pipeline.TraceBatch;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import java.util.function.LongConsumer;

/**
 * The requests whose spans a pipeline's processors hold back (the {@code kong} processor waiting
 * for the rest of a trace), kept on disk from before the 200 until the hold is over and the spans
 * are in the exporters' own disk queues. Without it a crash during {@code trace_wait} would lose
 * spans that were acknowledged but not yet queued anywhere.
 *
 * <p>A request is forgotten by time: every span a processor holds is released at most {@code
 * maxHold} after it arrived, so once a flush that started {@code maxHold} after a request was
 * journaled has run, its spans are queued. At start-up, what an earlier run left is processed again
 * (at-least-once: spans already queued then arrive twice).
 *
 * <p>Thread-safe: requests are journaled on receiver threads and forgotten on the ticker.
 */
final class HeldSpanJournal implements AutoCloseable {
  private final DiskQueue disk;
  // When each request of this run was journaled (monotonic nanos), in the disk queue's order.
  private final Deque<Long> writtenAt = new ArrayDeque<>();
  private int fromEarlierRuns;

  private HeldSpanJournal(DiskQueue disk) {
    this.disk = disk;
    this.fromEarlierRuns = disk.unreadBatches();
  }

  /**
   * Opens the journal in {@code directory}, written with the {@code fsync} policy of the disk
   * queue it sits next to.
   *
   * @throws IllegalStateException naming the directory when it cannot be created, read or locked
   */
  static HeldSpanJournal open(Path directory, QueueConfig queue, LongConsumer corruptRecords) {
    return new HeldSpanJournal(
        DiskQueue.open(directory, queue.maxBytes().bytes(), queue.fsync(), corruptRecords));
  }

  /** Requests an earlier run left, not yet replayed. */
  synchronized int fromEarlierRuns() {
    return fromEarlierRuns;
  }

  /**
   * Hands each request an earlier run left to {@code consumer}, and forgets it when the consumer
   * answers true (false keeps it for the next start). Call once, before anything is forgotten by
   * time.
   */
  void replay(Predicate<TraceBatch> consumer) {
    while (true) {
      final DiskQueue.Entry entry;
      synchronized (this) {
        if (fromEarlierRuns == 0) {
          return;
        }
        fromEarlierRuns--;
        entry = disk.poll(); // the earlier runs' records come first
      }
      if (entry == null) {
        return; // unreadable records were skipped and counted
      }
      if (consumer.test(entry.batch())) {
        disk.ack(entry.ref());
      }
    }
  }

  /**
   * Journals a request whose spans are held, before it is acknowledged.
   *
   * @throws java.io.UncheckedIOException when the write fails
   * @throws IllegalStateException when the journal is closed
   */
  synchronized void record(TraceBatch request, long nowNanos) {
    disk.appendPastLimit(request);
    writtenAt.addLast(nowNanos);
  }

  /** Forgets the requests journaled at or before {@code cutoffNanos}: their spans are queued. */
  synchronized void forgetUpTo(long cutoffNanos) {
    while (!writtenAt.isEmpty() && writtenAt.peekFirst() - cutoffNanos <= 0 && fromEarlierRuns == 0) {
      writtenAt.pollFirst();
      disk.ackOldest();
    }
  }

  /** Forgets every request of this run: every held span was queued (at shutdown). */
  synchronized void forgetAll() {
    while (!writtenAt.isEmpty() && fromEarlierRuns == 0) {
      writtenAt.pollFirst();
      disk.ackOldest();
    }
  }

  /** Requests journaled and not yet forgotten, for tests. */
  synchronized int size() {
    return disk.unreadBatches();
  }

  Path directory() {
    return disk.directory();
  }

  @Override
  public void close() {
    disk.close();
  }
}
