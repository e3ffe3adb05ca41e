package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sending_queue.storage: memory}: at most {@code queue_size} batches, lost when the process
 * ends. A queued batch counts in the {@link MemoryBudget} from {@link #offer} until its entry is
 * finished with; the exporters of a fan-out queue the same batch object, so its bytes count once.
 */
final class MemorySendingQueue implements SendingQueue {
  private final int queueSize;
  // on_full: refuse lets every offer in: room was checked when the request arrived
  private final boolean pastLimit;
  private final MemoryBudget budget;
  private final Deque<MemoryEntry> waiting = new ArrayDeque<>();
  private long waitingSpans;
  private boolean closed;

  MemorySendingQueue(QueueConfig config, MemoryBudget budget) {
    Objects.requireNonNull(config, "config");
    this.queueSize = config.queueSize();
    this.pastLimit = config.refusesWhenFull();
    this.budget = Objects.requireNonNull(budget, "budget");
  }

  @Override
  public void open() {
    // nothing to acquire
  }

  @Override
  public synchronized boolean offer(TraceBatch batch) {
    if (closed) {
      throw new IllegalStateException("the sending queue is closed");
    }
    if (!pastLimit && waiting.size() >= queueSize) {
      return false;
    }
    final MemoryEntry entry = new MemoryEntry(batch, batch.request().getSerializedSize());
    budget.acquireShared(batch, entry.bytes);
    waiting.addLast(entry);
    waitingSpans += batch.spanCount();
    return true;
  }

  @Override
  public String fullReason() {
    return "the sending queue is full (queue_size " + queueSize + ")";
  }

  @Override
  public synchronized Optional<String> refusal(long bytes) {
    final int queued = waiting.size();
    return queued < queueSize
        ? Optional.empty()
        : Optional.of(
            "the sending queue is full (" + queued + " of queue_size " + queueSize + " batches)");
  }

  @Override
  public synchronized Entry poll() {
    final MemoryEntry entry = waiting.pollFirst();
    if (entry != null) {
      waitingSpans -= entry.batch.spanCount();
    }
    return entry;
  }

  @Override
  public synchronized int size() {
    return waiting.size();
  }

  @Override
  public synchronized long waitingSpans() {
    return waitingSpans;
  }

  @Override
  public long usage() {
    return size();
  }

  @Override
  public long capacity() {
    return queueSize;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public synchronized List<Entry> close() {
    closed = true;
    final List<Entry> left = new ArrayList<>(waiting);
    waiting.clear();
    waitingSpans = 0;
    return left;
  }

  private final class MemoryEntry implements Entry {
    final TraceBatch batch;
    final long bytes;

    MemoryEntry(TraceBatch batch, long bytes) {
      this.batch = batch;
      this.bytes = bytes;
    }

    @Override
    public TraceBatch batch() {
      return batch;
    }

    @Override
    public void done() {
      budget.releaseShared(batch, bytes);
    }

    @Override
    public void keep() {
      done(); // nothing survives the process
    }
  }
}
