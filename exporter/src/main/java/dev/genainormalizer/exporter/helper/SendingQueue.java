package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.List;
import java.util.Optional;

/**
 * Where an exporter keeps the batches it accepted until a consumer takes them: in memory ({@link
 * MemorySendingQueue}) or on disk ({@link DiskSendingQueue}), as {@code sending_queue.storage}
 * says. A queue touches nothing until {@link #open}, which the exporter's {@code start()} calls:
 * the {@code map} dry run builds exporters it never starts, next to a running service that holds
 * the disk queue's lock.
 *
 * <p>A batch leaves the queue in two steps: {@link #poll} hands it out, and the {@link Entry} says
 * when it is finished with; a disk queue keeps it on disk until then, so a crash in between sends
 * it again. Implementations are thread-safe.
 */
public interface SendingQueue {

  /**
   * Acquires what the queue needs (a disk queue's directory and lock) and takes up what an earlier
   * run left. Called once, before the first {@link #poll}.
   *
   * @throws IllegalStateException naming what is wrong when the queue cannot be opened
   */
  void open();

  /**
   * Adds a batch. With {@code on_full: refuse} a batch is always added, even past the limit: room
   * was checked with {@link #refusal} before the client was told its data was accepted.
   *
   * @return false when the queue is full (nothing was added; {@link #fullReason} says why)
   * @throws java.io.UncheckedIOException when writing the batch to disk failed
   * @throws IllegalStateException when the queue is not open (disk) or closed
   */
  boolean offer(TraceBatch batch);

  /** Why {@link #offer} returned false, for the log line that counts the dropped spans. */
  String fullReason();

  /**
   * Why a new request of about {@code bytes} serialized bytes would not fit now, or empty when it
   * would; the message names the limit and how much of it is used.
   */
  Optional<String> refusal(long bytes);

  /** The oldest batch waiting, or null when none does. */
  Entry poll();

  /** Batches waiting for a consumer. */
  int size();

  /** Spans in the batches waiting for a consumer. */
  long waitingSpans();

  /**
   * How full the queue is, in the unit of {@link #capacity}: batches in memory, bytes of its files
   * on disk, so that usage / capacity means the same for both.
   */
  long usage();

  /** {@code queue_size} batches in memory, {@code max_bytes} on disk. */
  long capacity();

  /** Whether what is left unsent at shutdown survives until the next run. */
  boolean durable();

  /**
   * Stops taking batches. A durable queue keeps what is still waiting and returns nothing; a memory
   * queue returns it, for the caller to count as dropped and finish with {@link Entry#done}.
   * Entries handed out before stay valid. Idempotent.
   */
  List<Entry> close();

  /** One batch handed out by {@link #poll}. Exactly one of its two methods is called, once. */
  interface Entry {
    TraceBatch batch();

    /** The batch was sent, or given up for good: the queue forgets it. */
    void done();

    /** The batch is unsent at shutdown: a durable queue keeps it for the next run. */
    void keep();
  }
}
