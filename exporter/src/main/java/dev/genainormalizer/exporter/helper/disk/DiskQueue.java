package dev.genainormalizer.exporter.helper.disk;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.genainormalizer.config.QueueConfig.Fsync;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage for OTLP requests in one directory: append-only segment files of checksummed
 * records, an ack file per segment, and a segment deleted once every record in it is acknowledged.
 * It stores and forgets; what to read when is its users' business (the exporter's {@code
 * DiskSendingQueue}, the app's journal of held spans).
 *
 * <p>{@link #append} writes (and, per {@link Fsync}, forces) the batch before it returns its {@link
 * Ref}, so the receiver answers 200 only for data on disk. {@link #read} reads a record back;
 * {@link #ack} marks it done, in any order. On open, the records earlier runs left unacknowledged
 * are found again ({@link #recovered}); a torn or corrupt tail is skipped and reported to {@code
 * corruptRecords}, never thrown. Delivery is at-least-once: a record not acknowledged before a
 * crash is found again.
 *
 * <p>Thread-safe; one instance per directory, enforced with a lock file across processes.
 */
public final class DiskQueue implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(DiskQueue.class);

  /** How often {@link Fsync#BATCH} forces what was appended since. */
  static final long BATCH_FSYNC_MILLIS = 100;

  /** Default segment size; smaller when {@code max_bytes} is small, so space is freed often. */
  static final long MAX_SEGMENT_BYTES = 64L << 20;

  static final String LOCK_FILE = "LOCK";

  /** Where one record sits, and how many spans it carries. */
  public static final class Ref {
    final Segment segment;
    final long offset;
    final int length;
    final int spans;
    boolean acked; // guarded by the queue

    Ref(Segment segment, long offset, int length, int spans) {
      this.segment = segment;
      this.offset = offset;
      this.length = length;
      this.spans = spans;
    }

    public int spans() {
      return spans;
    }

    /** The record's size on disk, header included. */
    public long bytes() {
      return RecordFormat.HEADER_BYTES + (long) length;
    }
  }

  private final Path directory;
  private final long maxBytes;
  private final long segmentBytes;
  private final Fsync fsync;
  private final LongConsumer corruptRecords;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<Segment> segments = new ArrayList<>();
  private final List<Ref> recovered = new ArrayList<>();
  private final ScheduledThreadPoolExecutor flusher;
  private Segment active;
  private long nextSeq;
  private long diskBytes;
  private boolean closed;

  private DiskQueue(
      Path directory,
      long maxBytes,
      long segmentBytes,
      Fsync fsync,
      LongConsumer corruptRecords,
      FileChannel lockChannel,
      FileLock lock) {
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
    this.corruptRecords = corruptRecords;
    this.lockChannel = lockChannel;
    this.lock = lock;
    if (fsync == Fsync.BATCH) {
      flusher =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                final Thread t = new Thread(r, "disk-queue-fsync-" + directory.getFileName());
                t.setDaemon(true);
                return t;
              });
      flusher.scheduleWithFixedDelay(
          this::forceQuietly, BATCH_FSYNC_MILLIS, BATCH_FSYNC_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      flusher = null;
    }
  }

  /**
   * Opens (creating it if needed) the queue in {@code directory} and finds what earlier runs left.
   *
   * @throws IllegalStateException naming the directory when it cannot be created, read or locked
   */
  public static DiskQueue open(
      Path directory, long maxBytes, Fsync fsync, LongConsumer corruptRecords) {
    return open(
        directory,
        maxBytes,
        Math.max(64 << 10, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8)),
        fsync,
        corruptRecords);
  }

  static DiskQueue open(
      Path directory, long maxBytes, long segmentBytes, Fsync fsync, LongConsumer corruptRecords) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(corruptRecords, "corruptRecords");
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(directory);
      lockChannel =
          FileChannel.open(
              directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException(
            "sending_queue.directory: "
                + directory
                + " is in use by another exporter or process (expected: one disk queue per directory)");
      }
      final DiskQueue queue =
          new DiskQueue(
              directory, maxBytes, segmentBytes, fsync, corruptRecords, lockChannel, lock);
      queue.resume();
      return queue;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new IllegalStateException(
          "sending_queue.directory: " + directory + ": cannot open the disk queue: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private void resume() throws IOException {
    final List<Long> seqs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.seg")) {
      for (Path f : files) {
        final String name = f.getFileName().toString();
        try {
          seqs.add(Long.parseLong(name.substring(0, name.length() - 4)));
        } catch (NumberFormatException e) {
          logger.warn("disk queue {}: ignoring unexpected file {}", directory, name);
        }
      }
    }
    Collections.sort(seqs);
    long corrupt = 0;
    for (long seq : seqs) {
      final Segment.Scan scan = Segment.open(directory, seq);
      final Segment seg = scan.segment();
      if (scan.corruptTail()) {
        corrupt++;
        logger.warn(
            "disk queue {}: {} has a torn or corrupt record; skipping the rest of that file",
            directory,
            seg.file.getFileName());
      }
      nextSeq = seq + 1;
      if (scan.unacked().isEmpty()) {
        seg.delete();
        continue;
      }
      segments.add(seg);
      diskBytes += seg.size;
      recovered.addAll(scan.unacked());
    }
    if (corrupt > 0) {
      corruptRecords.accept(corrupt);
    }
    if (!recovered.isEmpty()) {
      logger.info(
          "disk queue {}: resuming {} batches ({} spans) left by an earlier run",
          directory,
          recovered.size(),
          recovered.stream().mapToLong(Ref::spans).sum());
    }
  }

  /** The records earlier runs left unacknowledged, oldest first, as found when the queue opened. */
  public List<Ref> recovered() {
    return Collections.unmodifiableList(recovered);
  }

  /**
   * Writes a batch, forcing it to the device first with {@link Fsync#ALWAYS}.
   *
   * @return where it was written; null when it would take the queue over {@code max_bytes} (nothing
   *     is written)
   * @throws UncheckedIOException when the write fails (e.g. the device is full)
   * @throws IllegalStateException when the queue is closed
   */
  public synchronized Ref append(TraceBatch batch) {
    return append(batch, true);
  }

  /**
   * Writes a batch like {@link #append}, even when that takes the queue over {@code max_bytes}: for
   * callers that checked the room before they acknowledged the data and must not drop it now.
   *
   * @throws UncheckedIOException when the write fails (e.g. the device is full)
   * @throws IllegalStateException when the queue is closed
   */
  public synchronized Ref appendPastLimit(TraceBatch batch) {
    return append(batch, false);
  }

  private Ref append(TraceBatch batch, boolean withinLimit) {
    ensureOpen();
    final byte[] payload = batch.request().toByteArray();
    final long recordBytes = RecordFormat.HEADER_BYTES + (long) payload.length;
    if (withinLimit && diskBytes + recordBytes > maxBytes) {
      return null;
    }
    try {
      if (active != null && active.records > 0 && active.size + recordBytes > segmentBytes) {
        active.force();
        active.sealed = true;
        active = null;
      }
      if (active == null) {
        active = Segment.create(directory, nextSeq++);
        segments.add(active);
      }
      final long offset = active.append(RecordFormat.encode(payload, batch.spanCount()));
      diskBytes += recordBytes;
      if (fsync == Fsync.ALWAYS) {
        active.force();
      }
      return new Ref(active, offset, payload.length, batch.spanCount());
    } catch (IOException e) {
      throw new UncheckedIOException(directory + ": appending to the disk queue failed", e);
    }
  }

  /**
   * Reads a record back. A record that cannot be read (it passed its checksum but is not an OTLP
   * request, or the read fails) is logged, counted as corrupt and acknowledged, since it never will
   * be readable: null then.
   *
   * @throws IllegalStateException when the queue is closed
   */
  public synchronized TraceBatch read(Ref ref) {
    ensureOpen();
    try {
      final byte[] payload = ref.segment.read(ref.offset, ref.length);
      return new TraceBatch(ExportTraceServiceRequest.parseFrom(payload), ref.spans);
    } catch (InvalidProtocolBufferException e) {
      logger.warn(
          "disk queue {}: record at {}:{} passed its checksum but is not an OTLP request;"
              + " skipping it",
          directory,
          ref.segment.file.getFileName(),
          ref.offset);
    } catch (IOException e) {
      logger.warn(
          "disk queue {}: reading {}:{} failed; skipping it: {}",
          directory,
          ref.segment.file.getFileName(),
          ref.offset,
          e.toString());
    }
    corruptRecords.accept(1);
    ackLocked(ref);
    return null;
  }

  /**
   * Marks a record done (sent, or given up); its segment goes once every record in it is done.
   * Acknowledging a record twice, or after {@link #close}, does nothing.
   */
  public synchronized void ack(Ref ref) {
    if (!closed) {
      ackLocked(ref);
    }
  }

  private void ackLocked(Ref ref) {
    if (ref.acked) {
      return;
    }
    ref.acked = true;
    final Segment seg = ref.segment;
    try {
      seg.ack(ref.offset);
      if (seg.fullyAcked()) {
        // The active segment goes too, so a quiet queue leaves no files behind.
        if (seg == active) {
          active = null;
        }
        segments.remove(seg);
        diskBytes -= seg.size;
        seg.delete();
      }
    } catch (IOException e) {
      logger.warn(
          "disk queue {}: recording an ack in {} failed (the batch may be sent again): {}",
          directory,
          seg.ackFile.getFileName(),
          e.toString());
    }
  }

  /** Bytes of the queue's segment files. */
  public synchronized long diskBytes() {
    return diskBytes;
  }

  public Path directory() {
    return directory;
  }

  private synchronized void forceQuietly() {
    if (closed || active == null) {
      return;
    }
    try {
      active.force();
    } catch (IOException e) {
      logger.warn("disk queue {}: fsync failed: {}", directory, e.toString());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("disk queue " + directory + " is closed");
    }
  }

  /**
   * Forces, closes the files and releases the directory; unacknowledged records stay for the next
   * run.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (flusher != null) {
      flusher.shutdownNow();
    }
    for (Segment seg : segments) {
      try {
        if (fsync != Fsync.NEVER) {
          seg.force();
        }
        seg.close();
      } catch (IOException e) {
        logger.warn(
            "disk queue {}: closing {} failed: {}",
            directory,
            seg.file.getFileName(),
            e.toString());
      }
    }
    try {
      lock.release();
    } catch (IOException e) {
      // the lock goes with the channel anyway
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }

  @Override
  public String toString() {
    return "DiskQueue{" + directory + ", fsync=" + fsync + ", max_bytes=" + maxBytes + '}';
  }
}
