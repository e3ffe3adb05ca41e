package dev.genainormalizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sending_queue}, shared by every exporter: a bounded queue of batches, in memory (the
 * default) or on disk.
 *
 * @param queueSize batches the in-memory queue holds before it is full (see {@code onFull});
 *     default 1000
 * @param numConsumers batches sent concurrently; default 10
 * @param storage {@code memory} (default) or {@code disk}
 * @param directory for {@code disk}: the parent directory; each exporter keeps its queue in its own
 *     subdirectory named after its id; required for {@code disk}
 * @param maxBytes for {@code disk}: bytes the queue's files may take before it is full (see {@code
 *     onFull}); default 1GiB
 * @param fsync for {@code disk}: when appended batches are forced to the device; default {@code
 *     batch}
 * @param onFull what a full queue does to new data: {@code refuse} it (receivers answer 503, so no
 *     acknowledged span is dropped for this exporter) or {@code drop} it for this exporter only
 *     (counted; the other exporters carry on). Null (the default) means {@code refuse} with {@code
 *     disk} and {@code drop} in memory: left null rather than resolved, so that the default follows
 *     {@code storage} when a user sets only {@code storage}; read it with {@link
 *     #effectiveOnFull()}
 * @param batch how queued batches are merged before they are sent. Null (the default) means not
 *     set: the {@code batch} processor of the exporter's pipelines, if any, else {@link
 *     BatchConfig#defaults()} (batching on); read it with {@link #effectiveBatch}
 */
public record QueueConfig(
    int queueSize,
    int numConsumers,
    Storage storage,
    String directory,
    ByteSize maxBytes,
    Fsync fsync,
    OnFull onFull,
    BatchConfig batch)
    implements Validatable {

  public static final ByteSize DEFAULT_MAX_BYTES = new ByteSize(1L << 30);

  /** Where queued batches are kept. */
  public enum Storage {
    /** Lost when the process ends; the default. */
    @JsonProperty("memory")
    MEMORY,
    /** Append-only segment files; survive a crash or restart. */
    @JsonProperty("disk")
    DISK
  }

  /** When the disk queue forces appended batches to the device. */
  public enum Fsync {
    /** Before {@code export} returns: survives power loss, one device flush per batch. */
    @JsonProperty("always")
    ALWAYS,
    /**
     * At most every 100 ms, for all batches appended since: survives a process crash (the data is
     * in the OS page cache), loses at most the last 100 ms on power loss.
     */
    @JsonProperty("batch")
    BATCH,
    /**
     * Left to the OS: survives a process crash, loses up to the OS's writeback delay on power loss.
     */
    @JsonProperty("never")
    NEVER
  }

  /** What a full queue does to a new batch. */
  public enum OnFull {
    /**
     * Receivers refuse new requests (HTTP 503 / gRPC UNAVAILABLE) while the queue is full, so what
     * was acknowledged is never dropped for lack of room; a full queue holds back the whole
     * pipeline.
     */
    @JsonProperty("refuse")
    REFUSE,
    /** The batch is dropped for this exporter (counted); the request is still acknowledged. */
    @JsonProperty("drop")
    DROP
  }

  public QueueConfig {
    storage = storage == null ? Storage.MEMORY : storage;
    directory = directory == null ? "" : directory;
    maxBytes = maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
    fsync = fsync == null ? Fsync.BATCH : fsync;
  }

  /** An in-memory queue, batching as by default. */
  public QueueConfig(int queueSize, int numConsumers) {
    this(queueSize, numConsumers, Storage.MEMORY, "", DEFAULT_MAX_BYTES, Fsync.BATCH, null, null);
  }

  public static QueueConfig defaults() {
    return new QueueConfig(1000, 10);
  }

  /** A disk queue under {@code directory}, other settings as given. */
  public static QueueConfig disk(
      int numConsumers, String directory, ByteSize maxBytes, Fsync fsync) {
    return new QueueConfig(
        1000, numConsumers, Storage.DISK, directory, maxBytes, fsync, null, null);
  }

  /** This queue with {@code on_full} set to {@code onFull}. */
  public QueueConfig withOnFull(OnFull onFull) {
    return new QueueConfig(
        queueSize, numConsumers, storage, directory, maxBytes, fsync, onFull, batch);
  }

  /** This queue with {@code batch} set to {@code batch}. */
  public QueueConfig withBatch(BatchConfig batch) {
    return new QueueConfig(
        queueSize, numConsumers, storage, directory, maxBytes, fsync, onFull, batch);
  }

  /**
   * {@code batch} as set, else {@code unset} (the pipeline's {@code batch} processor, or the
   * default).
   */
  public BatchConfig effectiveBatch(BatchConfig unset) {
    return batch != null ? batch : unset;
  }

  /** {@code on_full} as set, else the default for this {@code storage}. */
  public OnFull effectiveOnFull() {
    if (onFull != null) {
      return onFull;
    }
    return storage == Storage.DISK ? OnFull.REFUSE : OnFull.DROP;
  }

  public boolean refusesWhenFull() {
    return effectiveOnFull() == OnFull.REFUSE;
  }

  public boolean isDisk() {
    return storage == Storage.DISK;
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (queueSize < 1) {
      errors.add("queue_size: " + queueSize + " (expected: >= 1)");
    }
    if (numConsumers < 1) {
      errors.add("num_consumers: " + numConsumers + " (expected: >= 1)");
    }
    if (storage == Storage.DISK) {
      if (directory.isBlank()) {
        errors.add(
            "directory: required (expected: a directory for the disk queue, with storage: disk)");
      }
      if (maxBytes.bytes() < 1L << 20) {
        errors.add("max_bytes: " + maxBytes + " (expected: >= 1MiB)");
      }
    }
    return errors;
  }
}
