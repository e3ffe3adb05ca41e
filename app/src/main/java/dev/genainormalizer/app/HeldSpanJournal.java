package dev.genainormalizer.app;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.pipeline.TraceBatch;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The requests whose spans a pipeline's processors hold back (the {@code kong} processor waiting
 * for the rest of a trace), kept on disk from before the 200 until the hold is over and the spans
 * are in the exporters' own disk queues. Without it a crash during {@code trace_wait} would lose
 * spans that were acknowledged but not yet queued anywhere.
 *
 * <p>A request is forgotten by time: every span a processor holds is released at most {@code
 * maxHold} after it arrived, so once a flush that started {@code maxHold} after a request was
 * journaled has run, its spans are queued. At start-up, what an earlier run left is processed again
 * (at-least-once: spans already queued then arrive twice). The journal keeps each record's {@link
 * DiskQueue.Ref} and acknowledges it when it forgets the request.
 *
 * <p>Thread-safe: requests are journaled on receiver threads and forgotten on the ticker.
 */
final class HeldSpanJournal implements AutoCloseable {
  private final DiskQueue disk;
  // What earlier runs left and replay has not handed out yet, oldest first.
  private final Deque<DiskQueue.Ref> fromEarlierRuns;
  // This run's requests, with when each was journaled (monotonic nanos), oldest first.
  private final Deque<Written> written = new ArrayDeque<>();

  private record Written(DiskQueue.Ref ref, long atNanos) {}

  private HeldSpanJournal(DiskQueue disk) {
    this.disk = disk;
    this.fromEarlierRuns = new ArrayDeque<>(disk.recovered());
  }

  /**
   * Opens the journal in {@code directory}, written with the {@code fsync} policy of the disk queue
   * it sits next to.
   *
   * @throws IllegalStateException naming the directory when it cannot be created, read or locked
   */
  static HeldSpanJournal open(Path directory, QueueConfig queue, LongConsumer corruptRecords) {
    return new HeldSpanJournal(
        DiskQueue.open(directory, queue.maxBytes().bytes(), queue.fsync(), corruptRecords));
  }

  /** Requests an earlier run left, not yet replayed. */
  synchronized int fromEarlierRuns() {
    return fromEarlierRuns.size();
  }

  /**
   * Hands each request an earlier run left to {@code consumer}, and forgets it when the consumer
   * answers true (false keeps it for the next start). Call once, at start-up.
   */
  void replay(Predicate<TraceBatch> consumer) {
    while (true) {
      final DiskQueue.Ref ref;
      synchronized (this) {
        ref = fromEarlierRuns.pollFirst();
      }
      if (ref == null) {
        return;
      }
      final TraceBatch request = disk.read(ref); // null: unreadable, skipped and counted
      if (request != null && consumer.test(request)) {
        disk.ack(ref);
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
    written.addLast(new Written(disk.appendPastLimit(request), nowNanos));
  }

  /** Forgets the requests journaled at or before {@code cutoffNanos}: their spans are queued. */
  synchronized void forgetUpTo(long cutoffNanos) {
    while (!written.isEmpty() && written.peekFirst().atNanos() - cutoffNanos <= 0) {
      disk.ack(written.pollFirst().ref());
    }
  }

  /** Forgets every request of this run: every held span was queued (at shutdown). */
  synchronized void forgetAll() {
    while (!written.isEmpty()) {
      disk.ack(written.pollFirst().ref());
    }
  }

  /** Requests journaled and not yet forgotten, with those of earlier runs not yet replayed. */
  synchronized int size() {
    return fromEarlierRuns.size() + written.size();
  }

  Path directory() {
    return disk.directory();
  }

  @Override
  public void close() {
    disk.close();
  }
}
