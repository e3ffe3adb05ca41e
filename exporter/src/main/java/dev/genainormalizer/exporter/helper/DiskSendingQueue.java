package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * {@code sending_queue.storage: disk}: batches in a {@link DiskQueue} of their own directory, up to
 * {@code max_bytes}. {@link #offer} returns once the batch is written, so the receiver answers 200
 * only for data on disk; a batch leaves the disk when its entry is {@link Entry#done done}, and
 * stays for the next run when it is {@link Entry#keep kept}. Only batches handed out are in memory,
 * and count in the {@link MemoryBudget} until they are finished with.
 */
final class DiskSendingQueue implements SendingQueue {
  private final Path directory;
  private final long maxBytes;
  private final QueueConfig config;
  // on_full: refuse lets every offer in: room was checked when the request arrived
  private final boolean pastLimit;
  private final MemoryBudget budget;
  private final LongConsumer corruptRecords;
  private volatile DiskQueue disk;
  // Written, not yet handed out, oldest first; guarded by this.
  private final Deque<DiskQueue.Ref> unread = new ArrayDeque<>();
  private long unreadSpans;

  /**
   * @param directory this queue's own directory (created at {@link #open} if needed)
   * @param corruptRecords told of records skipped because they could not be read back
   */
  DiskSendingQueue(
      Path directory, QueueConfig config, MemoryBudget budget, LongConsumer corruptRecords) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.config = Objects.requireNonNull(config, "config");
    this.maxBytes = config.maxBytes().bytes();
    this.pastLimit = config.refusesWhenFull();
    this.budget = Objects.requireNonNull(budget, "budget");
    this.corruptRecords = Objects.requireNonNull(corruptRecords, "corruptRecords");
  }

  @Override
  public synchronized void open() {
    if (disk == null) {
      disk = DiskQueue.open(directory, maxBytes, config.fsync(), corruptRecords);
      for (DiskQueue.Ref ref : disk.recovered()) {
        unread.addLast(ref);
        unreadSpans += ref.spans();
      }
    }
  }

  private DiskQueue disk() {
    final DiskQueue d = disk;
    if (d == null) {
      throw new IllegalStateException("the disk queue " + directory + " is not open");
    }
    return d;
  }

  @Override
  public synchronized boolean offer(TraceBatch batch) {
    final DiskQueue d = disk();
    final DiskQueue.Ref ref = pastLimit ? d.appendPastLimit(batch) : d.append(batch);
    if (ref == null) {
      return false;
    }
    unread.addLast(ref);
    unreadSpans += ref.spans();
    return true;
  }

  @Override
  public String fullReason() {
    return "the disk queue is full (max_bytes " + maxBytes + ")";
  }

  @Override
  public Optional<String> refusal(long bytes) {
    final long used = usage();
    return used + bytes <= maxBytes
        ? Optional.empty()
        : Optional.of(
            "the disk queue is full (" + used + " of max_bytes " + maxBytes + " bytes used)");
  }

  @Override
  public synchronized Entry poll() {
    final DiskQueue d = disk;
    while (d != null) {
      final DiskQueue.Ref ref = unread.pollFirst();
      if (ref == null) {
        return null;
      }
      unreadSpans -= ref.spans();
      final TraceBatch batch = d.read(ref);
      if (batch != null) { // else unreadable: counted and dropped by the disk queue
        final DiskEntry entry = new DiskEntry(d, ref, batch);
        budget.acquire(entry.bytes);
        return entry;
      }
    }
    return null;
  }

  @Override
  public synchronized int size() {
    return unread.size();
  }

  @Override
  public synchronized long waitingSpans() {
    return unreadSpans;
  }

  @Override
  public long usage() {
    final DiskQueue d = disk;
    return d == null ? 0 : d.diskBytes();
  }

  @Override
  public long capacity() {
    return maxBytes;
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public synchronized List<Entry> close() {
    if (disk != null) {
      disk.close(); // unacknowledged records stay for the next run
    }
    return List.of();
  }

  Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "disk queue " + directory;
  }

  private final class DiskEntry implements Entry {
    private final DiskQueue disk;
    private final DiskQueue.Ref ref;
    private final TraceBatch batch;
    final long bytes;

    DiskEntry(DiskQueue disk, DiskQueue.Ref ref, TraceBatch batch) {
      this.disk = disk;
      this.ref = ref;
      this.batch = batch;
      this.bytes = ref.bytes();
    }

    @Override
    public TraceBatch batch() {
      return batch;
    }

    @Override
    public void done() {
      budget.release(bytes); // read back from disk: this exporter's own copy
      disk.ack(ref);
    }

    @Override
    public void keep() {
      budget.release(bytes);
    }
  }
}
