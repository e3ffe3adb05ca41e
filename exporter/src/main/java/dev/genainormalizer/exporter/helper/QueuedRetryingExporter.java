package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.logging.ThrottledLogger;

import dev.genainormalizer.exporter.ExporterSettings;

import dev.genainormalizer.config.QueueConfig;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every exporter runs: bounded queue → {@code num_consumers} concurrent sends → retry with
 * exponential backoff → {@link TraceSender}. {@link #export} only enqueues, so a slow or dead backend
 * fills this exporter's queue and nothing else.
 *
 * <p>A consumer stays busy with its batch through the retry waits, as in the Collector: with a dead
 * backend, {@code num_consumers} batches wait in backoff, {@code queue_size} more wait in the queue.
 * Then, with {@code on_full: drop}, further batches are dropped and counted; with {@code on_full:
 * refuse}, {@link #refusal} tells the receivers to refuse new requests until there is room again.
 *
 * <p>With {@code sending_queue.storage: disk}, {@link #export} appends the batch to a {@link
 * DiskQueue} before it returns (so the receiver answers 200 only for data on disk); consumers read
 * batches back from disk, and a batch leaves the disk once the backend acknowledged it (or it was
 * given up on a permanent error or after {@code max_elapsed_time}). At shutdown, what is unsent stays
 * on disk for the next run and is not counted as dropped. Only batches being sent are in memory.
 *
 * <p>Threads: one scheduler thread per exporter runs the sender's {@code send} and the retry timers;
 * completions arrive on whatever thread the sender completes on (an Armeria event loop).
 */
public final class QueuedRetryingExporter implements TraceExporter {
  private static final Logger logger = LoggerFactory.getLogger(QueuedRetryingExporter.class);

  private final String id;
  private final TraceSender sender;
  private final RetryConfig retry;
  private final int numConsumers;
  private final int queueCapacity;
  private final Clock clock;
  private final MemoryBudget memoryBudget;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final DoubleSupplier random;
  private final String description;
  private final BlockingQueue<Item> queue;
  // on_full: refuse. Room is checked when a request arrives (refusal); what was let in is always
  // queued, even past queue_size / max_bytes by what concurrent requests and released held spans
  // add, because by then the client has been (or will be) told it was accepted.
  private final boolean refuseWhenFull;
  private final QueueConfig queueConfig;
  private final DiskQueue disk; // null for the in-memory queue
  private final long diskMaxBytes;
  // Set when a batch is left on disk at shutdown: the backend is failing, so reading more of the
  // backlog only to leave it there too would just hammer it until the deadline.
  private volatile boolean diskLeftAlone;
  private final Set<Item> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger busyConsumers = new AtomicInteger();
  private final ExporterTelemetry telemetry;
  private final ThrottledLogger enqueueFailedLog;
  private final ThrottledLogger sendFailedLog;
  private final AtomicLong enqueueFailedSinceLog = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicLong droppedAfterShutdown = new AtomicLong();
  // Read back from disk, then left there at shutdown: not in disk.unreadSpans(), still sent next run.
  private final AtomicLong keptOnDiskSpans = new AtomicLong();
  // Of the spans dropped or left at the deadline, those whose send was under way: they may have
  // reached the backend.
  private final AtomicLong cutOffSpans = new AtomicLong();
  private volatile long leftForNextRun;
  private final CompletableFuture<Long> terminated = new CompletableFuture<>();
  private volatile boolean stopping;
  private volatile long deadlineNanos;
  private volatile boolean deadlineSet; // written after deadlineNanos, read before it
  private volatile Future<?> deadlineTask;
  private volatile SendListener sendListener = (batch, error) -> {};

  /** Told of every finished send attempt; must be quick and must not throw. */
  @FunctionalInterface
  public interface SendListener {
    /**
     * @param batch the batch the sender got (before any vendor mapping; see {@link #asSent})
     * @param error null when the backend accepted the batch, else why the attempt failed
     */
    void attemptDone(TraceBatch batch, Throwable error);
  }

  QueuedRetryingExporter(QueuedRetryingExporterBuilder b, ScheduledExecutorService scheduler,
      boolean ownsScheduler) {
    this.id = b.id.toString();
    this.sender = b.sender;
    this.retry = b.retry;
    this.numConsumers = b.queue.numConsumers();
    this.queueCapacity = b.queue.queueSize();
    this.clock = b.clock;
    this.memoryBudget = b.memoryBudget;
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    this.random = b.random;
    this.description = b.description;
    this.refuseWhenFull = b.queue.refusesWhenFull();
    this.queueConfig = b.queue;
    if (b.queue.isDisk()) {
      this.queue = new ArrayBlockingQueue<>(1);
      this.diskMaxBytes = b.queue.maxBytes().bytes();
      final io.micrometer.core.instrument.Counter corrupt = ExporterTelemetry.corruptRecords(b.meterRegistry, id);
      this.disk = DiskQueue.open(Path.of(b.queue.directory()).resolve(directoryName(b.id)), diskMaxBytes,
          b.queue.fsync(), corrupt::increment);
      // in bytes, like max_bytes: unread batches against queue_size would say nothing about room
      this.telemetry = new ExporterTelemetry(b.meterRegistry, id, disk::diskBytes, diskMaxBytes);
      telemetry.registerDiskBytes(id, disk::diskBytes);
    } else {
      this.queue = refuseWhenFull ? new LinkedBlockingQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
      this.disk = null;
      this.diskMaxBytes = 0;
      this.telemetry = new ExporterTelemetry(b.meterRegistry, id, queue, queueCapacity);
    }
    this.enqueueFailedLog = new ThrottledLogger(logger, clock, b.logInterval);
    this.sendFailedLog = new ThrottledLogger(logger, clock, b.logInterval);
  }

  /**
   * The chain as every factory builds it: {@code sender} behind this exporter's own queue and retry,
   * described in logs by the sender's (redacted) {@code toString()}.
   */
  public static QueuedRetryingExporter of(
      ExporterSettings settings, TraceSender sender, RetryConfig retry, QueueConfig queue) {
    return builder()
        .settings(settings)
        .sender(sender)
        .retry(retry)
        .queue(queue)
        .description(sender.toString())
        .build();
  }

  public static QueuedRetryingExporterBuilder builder() {
    return new QueuedRetryingExporterBuilder();
  }

  /** Replaces the listener told of each send attempt (the app's status page); default none. */
  public void sendListener(SendListener listener) {
    this.sendListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** What the exporter sends to (endpoint, encoding; header values redacted), as given to the builder. */
  public String description() {
    return description;
  }

  /** The batch as this exporter's backend would receive it, without sending. */
  public TraceBatch asSent(TraceBatch batch) {
    return sender.asSent(batch);
  }

  @Override
  public synchronized void start() {
    if (closing.get() || started.get()) {
      return;
    }
    sender.start(); // throws with the reason when it cannot; the exporter then stays unstarted
    started.set(true);
    logger.info("exporter {} started: {}", id, description);
    pump();
  }

  @Override
  public boolean export(TraceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (closing.get()) {
      countEnqueueFailed(batch.spanCount(), "the exporter is shut down");
      return false;
    }
    if (disk != null) {
      return exportToDisk(batch);
    }
    final Item item = new Item(batch, batch.request().getSerializedSize(), null);
    // The other exporters of the pipeline queue this very batch object: its bytes count once.
    memoryBudget.acquireShared(batch, item.bytes);
    if (!queue.offer(item)) {
      memoryBudget.releaseShared(batch, item.bytes);
      countEnqueueFailed(batch.spanCount(), "the sending queue is full (queue_size " + queueCapacity + ")");
      return false;
    }
    if (closing.get() && (stopping || terminated.isDone()) && queue.remove(item)) {
      // the deadline passed between our check and our offer: nobody will ever take this batch
      memoryBudget.releaseShared(batch, item.bytes);
      countEnqueueFailed(batch.spanCount(), "the exporter is shut down");
      return false;
    }
    pump();
    return true;
  }

  @Override
  public Optional<String> refusal(long bytes) {
    if (!refuseWhenFull) {
      return Optional.empty();
    }
    if (disk == null) {
      final int queued = queue.size();
      return queued < queueCapacity
          ? Optional.empty()
          : Optional.of("exporter " + id + ": the sending queue is full (" + queued + " of queue_size "
              + queueCapacity + " batches)");
    }
    final long used = disk.diskBytes();
    return used + bytes <= diskMaxBytes
        ? Optional.empty()
        : Optional.of("exporter " + id + ": the disk queue is full (" + used + " of max_bytes "
            + diskMaxBytes + " bytes used)");
  }

  @Override
  public boolean refusesWhenFull() {
    return refuseWhenFull;
  }

  @Override
  public Optional<QueueConfig> diskQueue() {
    return disk == null ? Optional.empty() : Optional.of(queueConfig);
  }

  private boolean exportToDisk(TraceBatch batch) {
    final boolean written;
    try {
      written = refuseWhenFull ? disk.appendPastLimit(batch) : disk.append(batch);
    } catch (UncheckedIOException e) {
      countEnqueueFailed(batch.spanCount(), "writing to the disk queue failed: " + e.getCause());
      return false;
    } catch (IllegalStateException e) {
      countEnqueueFailed(batch.spanCount(), "the exporter is shut down");
      return false;
    }
    if (!written) {
      countEnqueueFailed(batch.spanCount(), "the disk queue is full (max_bytes " + diskMaxBytes + ")");
      return false;
    }
    pump();
    return true;
  }

  /** The subdirectory of {@code sending_queue.directory} an exporter owns: its id, {@code /} as {@code -}. */
  static String directoryName(ComponentId id) {
    // Types never contain '-', so two ids never map to one name.
    return id.toString().replace('/', '-');
  }

  @Override
  public CompletableFuture<Long> shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!closing.compareAndSet(false, true)) {
      return terminated;
    }
    deadlineNanos = clock.monotonicTime() + Math.max(0, timeout.toNanos());
    deadlineSet = true;
    if (!started.get()) {
      stopNow();
      return terminated;
    }
    try {
      deadlineTask = scheduler.schedule(this::stopNow, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      stopNow();
      return terminated;
    }
    pump();
    maybeTerminate();
    return terminated;
  }

  /** Batches waiting for a consumer, for tests. */
  int queueSize() {
    return disk == null ? queue.size() : disk.unreadBatches();
  }

  private boolean hasQueued() {
    return disk == null ? !queue.isEmpty() : !diskLeftAlone && disk.unreadBatches() > 0;
  }

  private Item nextQueued() {
    if (disk == null) {
      return queue.poll();
    }
    final DiskQueue.Entry entry = disk.poll();
    if (entry == null) {
      return null;
    }
    final Item item = new Item(entry.batch(), entry.ref().bytes(), entry.ref());
    memoryBudget.acquire(item.bytes);
    return item;
  }

  @Override
  public String toString() {
    return "QueuedRetryingExporter{id=" + id + ", " + description + ", queue_size=" + queueCapacity
        + ", num_consumers=" + numConsumers + ", retry=" + retry + '}';
  }

  // Hands queued batches to free consumers. Called after every offer and every finished batch;
  // either the offering thread sees a free consumer or the finishing one sees the batch.
  private void pump() {
    while (started.get() && !stopping && !terminated.isDone()) {
      final int busy = busyConsumers.get();
      if (busy >= numConsumers || !hasQueued()) {
        return;
      }
      if (!busyConsumers.compareAndSet(busy, busy + 1)) {
        continue;
      }
      final Item item = nextQueued();
      if (item == null) {
        busyConsumers.decrementAndGet();
        continue;
      }
      item.holdsConsumer = true;
      inFlight.add(item);
      if (stopping) {
        // the deadline passed while we took it, and stopNow may have missed it: drop it here
        finish(item, Outcome.DROPPED, null);
        return;
      }
      try {
        scheduler.execute(() -> attempt(item));
      } catch (RejectedExecutionException e) {
        finish(item, Outcome.DROPPED, null);
      }
    }
  }

  private void attempt(Item item) {
    if (item.done.get()) {
      return;
    }
    final long start = clock.monotonicTime();
    if (item.attempts++ == 0) {
      item.firstAttemptNanos = start;
    }
    CompletableFuture<Void> sent;
    try {
      sent = sender.send(item.batch);
      if (sent == null) {
        sent = CompletableFuture.failedFuture(new IllegalStateException("sender returned no future"));
      }
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ignored, error) -> onAttemptDone(item, start, unwrap(error)));
  }

  private void onAttemptDone(Item item, long start, Throwable error) {
    final long now = clock.monotonicTime();
    telemetry.recordAttempt(now - start, error);
    try {
      sendListener.attemptDone(item.batch, error);
    } catch (RuntimeException e) {
      logger.warn("exporter {}: send listener failed", id, e);
    }
    if (item.done.get()) {
      return; // given up at the shutdown deadline while this attempt was running
    }
    if (error == null) {
      finish(item, Outcome.SENT, null);
      return;
    }
    if (error instanceof PermanentExportException) {
      finish(item, Outcome.FAILED, "dropped on a permanent error: " + error.getMessage());
      return;
    }
    if (!retry.enabled()) {
      finish(item, Outcome.FAILED, "dropped (retry_on_failure disabled): " + describe(error));
      return;
    }
    long delay = item.backoff().nextDelayNanos();
    if (error instanceof RetryableExportException r && r.retryAfter().isPresent()) {
      delay = Math.max(delay, r.retryAfter().get().toNanos());
    }
    final long maxElapsed = retry.maxElapsedTime().toNanos();
    if (maxElapsed > 0 && now + delay - item.firstAttemptNanos > maxElapsed) {
      finish(item, Outcome.FAILED, "gave up after " + item.attempts + " attempts (next retry would pass"
          + " max_elapsed_time " + retry.maxElapsedTime() + "): " + describe(error));
      return;
    }
    if (deadlineSet && now + delay - deadlineNanos > 0) {
      finish(item, Outcome.DROPPED, "dropped at shutdown (next retry would pass the deadline): "
          + describe(error));
      return;
    }
    telemetry.retries.increment();
    try {
      item.pendingRetry = scheduler.schedule(() -> attempt(item), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      finish(item, Outcome.DROPPED, "dropped at shutdown: " + describe(error));
    }
  }

  // Runs once per batch, whatever ends it; releases its memory and its consumer.
  private void finish(Item item, Outcome outcome, String why) {
    if (!item.done.compareAndSet(false, true)) {
      return;
    }
    if (item.ref == null) {
      memoryBudget.releaseShared(item.batch, item.bytes);
    } else {
      memoryBudget.release(item.bytes); // read back from disk: this exporter's own copy
    }
    final int spans = item.batch.spanCount();
    final boolean keptOnDisk = item.ref != null && outcome == Outcome.DROPPED;
    if (item.ref != null && !keptOnDisk) {
      disk.ack(item.ref);
    }
    if (keptOnDisk) {
      // Unsent at shutdown: it stays on disk for the next run, so it is not lost, only counted as left.
      diskLeftAlone = true;
      keptOnDiskSpans.addAndGet(spans);
    } else if (outcome == Outcome.SENT) {
      telemetry.sentSpans.increment(spans);
    } else {
      telemetry.sendFailedSpans.increment(spans);
      if (closing.get()) {
        droppedAfterShutdown.addAndGet(spans);
      }
      if (why != null) {
        final long suppressed = sendFailedLog.tryLog();
        if (suppressed >= 0) {
          logger.warn("exporter {}: {} spans {}{}", id, spans, why,
              ThrottledLogger.suppressedNote(suppressed));
        }
      }
    }
    if (item.holdsConsumer) {
      inFlight.remove(item);
      busyConsumers.decrementAndGet();
      pump();
    }
    maybeTerminate();
  }

  private void maybeTerminate() {
    if (closing.get() && !stopping && !terminated.isDone() && inFlight.isEmpty()
        && (!hasQueued() || !started.get())) {
      terminate();
    }
  }

  // The deadline: whatever has not been sent by now is dropped (in memory) or left on disk.
  private void stopNow() {
    stopping = true; // terminate once, below, after every batch is counted
    final List<Item> left = new ArrayList<>();
    queue.drainTo(left);
    left.addAll(inFlight);
    for (Item item : left) {
      countIfCutOff(item);
      finish(item, Outcome.DROPPED, null);
    }
    terminate();
  }

  /**
   * Cancels the item's retry timer, if it waits for one; otherwise, if a consumer holds it, its send
   * is under way and is cut off: counted, since the backend may have it all the same.
   */
  private void countIfCutOff(Item item) {
    final Future<?> retryTimer = item.pendingRetry;
    final boolean waitingToRetry = retryTimer != null && retryTimer.cancel(false);
    if (item.holdsConsumer && !waitingToRetry && !item.done.get()) {
      cutOffSpans.addAndGet(item.batch.spanCount());
    }
  }

  private synchronized void terminate() {
    if (terminated.isDone()) {
      return;
    }
    final Future<?> timer = deadlineTask;
    if (timer != null) {
      timer.cancel(false);
    }
    try {
      sender.close();
    } catch (RuntimeException e) {
      logger.warn("exporter {}: closing the sender failed", id, e);
    }
    if (disk != null) {
      leftForNextRun = disk.unreadSpans() + keptOnDiskSpans.get();
      disk.close();
    }
    telemetry.removeGauges();
    final long dropped = droppedAfterShutdown.get();
    logStopped(dropped, leftForNextRun);
    terminated.complete(dropped);
    if (ownsScheduler) {
      // last: this may be the scheduler's own thread, and callers' callbacks must not see it interrupted
      scheduler.shutdownNow();
    }
  }

  /** The exporter's one line at shutdown: what it did not send, and where that is now. */
  private void logStopped(long dropped, long left) {
    if (dropped == 0 && left == 0) {
      logger.info("exporter {} stopped: every queued span was sent", id);
      return;
    }
    final StringBuilder line = new StringBuilder();
    if (dropped > 0) {
      line.append(dropped).append(" spans dropped (not sent)");
    }
    if (left > 0) {
      line.append(dropped > 0 ? ", " : "").append(left).append(" spans left in the disk queue for the next run (")
          .append(disk.directory()).append(')');
    }
    final long cutOff = cutOffSpans.get();
    if (cutOff > 0) {
      line.append("; ").append(cutOff).append(" of them were being sent at the deadline and may have reached the"
          + " backend").append(left > 0 ? " (the next run sends them again: possible duplicates)" : "");
    }
    if (dropped > 0) {
      logger.warn("exporter {} stopped: {}", id, line);
    } else {
      logger.info("exporter {} stopped: {}", id, line);
    }
  }

  @Override
  public long spansLeftForNextRun() {
    return leftForNextRun;
  }

  private void countEnqueueFailed(int spans, String why) {
    telemetry.enqueueFailedSpans.increment(spans);
    enqueueFailedSinceLog.addAndGet(spans);
    if (enqueueFailedLog.tryLog() >= 0) {
      final long dropped = enqueueFailedSinceLog.getAndSet(0);
      logger.warn("exporter {}: dropped {} spans since the last report because {}", id, dropped, why);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String describe(Throwable e) {
    if (e instanceof RetryableExportException || e instanceof PermanentExportException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private enum Outcome {
    SENT,
    FAILED,
    DROPPED
  }

  private final class Item {
    final TraceBatch batch;
    final long bytes;
    final DiskQueue.Ref ref; // null for the in-memory queue
    final AtomicBoolean done = new AtomicBoolean();
    volatile boolean holdsConsumer;
    volatile int attempts;
    volatile long firstAttemptNanos;
    volatile Future<?> pendingRetry;
    private ExponentialBackoff backoff;

    Item(TraceBatch batch, long bytes, DiskQueue.Ref ref) {
      this.batch = batch;
      this.bytes = bytes;
      this.ref = ref;
    }

    // Only the first retryable failure pays for a backoff; most batches never need one.
    ExponentialBackoff backoff() {
      if (backoff == null) {
        backoff = new ExponentialBackoff(retry, random);
      }
      return backoff;
    }
  }
}
