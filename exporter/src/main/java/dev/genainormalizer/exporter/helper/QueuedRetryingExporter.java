package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.AttemptListener;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.RetryingSender.Outcome;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every exporter runs: a {@link SendingQueue} (memory or disk), a {@link Batcher} ({@code
 * sending_queue.batch}), {@code num_consumers} concurrent deliveries through a {@link
 * RetryingSender}, and the {@link TraceSender}. {@link #export} only enqueues, so a slow or dead
 * backend fills this exporter's queue and nothing else. This class only composes them: it hands
 * queued batches to the batcher and batches to free consumers, runs the flush timer, finishes each
 * queue entry once every batch holding part of it is done, counts, and shuts down.
 *
 * <p>A batch being filled holds a consumer, as one being sent does: batches are taken from the
 * queue only while a consumer is free or a batch is being filled, so with every consumer busy new
 * data waits in the queue (and counts against {@code queue_size}), as without batching.
 *
 * <p>A consumer stays busy with its batch through the retry waits, as in the Collector: with a dead
 * backend, {@code num_consumers} batches wait in backoff, {@code queue_size} more wait in the
 * queue. Then, with {@code on_full: drop}, further batches are dropped and counted; with {@code
 * on_full: refuse}, {@link #refusal} tells the receivers to refuse new requests until there is room
 * again.
 *
 * <p>With {@code sending_queue.storage: disk} a batch leaves the disk once the backend acknowledged
 * it (or it was given up on a permanent error or after {@code max_elapsed_time}); what is unsent at
 * shutdown stays on disk for the next run: counted as left ({@link #spansLeftForNextRun}), not as
 * dropped. The queue is opened by {@link #start}, so an exporter that is built but never started
 * touches no file.
 *
 * <p>Threads: one scheduler thread per exporter runs the sender's {@code send} and the retry
 * timers; completions arrive on whatever thread the sender completes on (an Armeria event loop).
 */
public final class QueuedRetryingExporter implements TraceExporter {
  private static final Logger logger = LoggerFactory.getLogger(QueuedRetryingExporter.class);

  private final String id;
  private final TraceSender sender;
  private final RetryConfig retry;
  private final int numConsumers;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final String description;
  private final QueueConfig queueConfig;
  private final SendingQueue queue;
  private final BatchConfig batchConfig;
  private final long maxRequestBytes;
  private final Batcher batcher;
  private final RetryingSender retrying;
  private final DeliveryListener deliveryListener;
  private final ExporterTelemetry telemetry;
  private final ThrottledLogger enqueueFailedLog;
  private final ThrottledLogger sendFailedLog;
  private final AtomicLong enqueueFailedSinceLog = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicLong droppedAfterShutdown = new AtomicLong();
  // Handed out by a disk queue, then kept at shutdown: no longer in queue.waitingSpans(), still
  // sent (whole) by the next run.
  private final AtomicLong keptOnDiskSpans = new AtomicLong();
  // Of the spans dropped or left at the deadline, those whose send was under way: they may have
  // reached the backend.
  private final AtomicLong cutOffSpans = new AtomicLong();
  private volatile long leftForNextRun;
  private final CompletableFuture<Long> terminated = new CompletableFuture<>();
  private volatile boolean stopping;
  private volatile Future<?> deadlineTask;

  // Guards the hand-over from the queue to the consumers and the end of every delivery.
  private final Object lock = new Object();
  private final Set<Delivering> inFlight = new HashSet<>();
  private final Deque<Batcher.Batch> ready = new ArrayDeque<>(); // complete, waiting for a consumer
  private Future<?> flushTimer;
  private long flushTimerDue;
  // Set when a batch is left on disk at shutdown: the backend is failing, so reading more of the
  // backlog only to leave it there too would just hammer it until the deadline.
  private boolean leaveBacklog;

  /**
   * Told once per exported batch when the exporter is done with it: sent, or given up for good. Not
   * told of a batch left on disk at shutdown, which the next run sends. Must be quick and must not
   * throw.
   */
  @FunctionalInterface
  public interface DeliveryListener {
    /**
     * @param exported the batch as {@link #export} took it (an equal copy when read back from disk)
     * @param error null when every span of it reached the backend, else the first failure
     */
    void done(TraceBatch exported, Throwable error);
  }

  QueuedRetryingExporter(
      QueuedRetryingExporterBuilder b, ScheduledExecutorService scheduler, boolean ownsScheduler) {
    this.id = b.id.toString();
    this.sender = b.sender;
    this.retry = b.retry;
    this.numConsumers = b.queue.numConsumers();
    this.clock = b.clock;
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    this.description = b.description;
    this.queueConfig = b.queue;
    if (b.queue.isDisk()) {
      this.queue =
          new DiskSendingQueue(
              Path.of(b.queue.directory()).resolve(directoryName(b.id)),
              b.queue,
              b.memoryBudget,
              ExporterTelemetry.corruptRecords(b.meterRegistry, id)::increment);
    } else {
      this.queue = new MemorySendingQueue(b.queue, b.memoryBudget);
    }
    this.telemetry = new ExporterTelemetry(b.meterRegistry, id, queue::usage, queue.capacity());
    if (queue.durable()) {
      telemetry.registerDiskBytes(id, queue::usage);
    }
    this.retrying = new RetryingSender(id, sender, retry, scheduler, clock, b.random, telemetry);
    this.batchConfig = b.queue.effectiveBatch(b.defaultBatch);
    this.maxRequestBytes = b.maxRequestBytes >= 0 ? b.maxRequestBytes : sender.maxRequestBytes();
    this.batcher = new Batcher(batchConfig, maxRequestBytes);
    this.deliveryListener = b.deliveryListener;
    this.enqueueFailedLog = new ThrottledLogger(logger, clock, b.logInterval);
    this.sendFailedLog = new ThrottledLogger(logger, clock, b.logInterval);
  }

  /**
   * The chain as every factory builds it: {@code sender} behind this exporter's own queue and
   * retry, described in logs by the sender's (redacted) {@code toString()}.
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

  @Override
  public void attemptListener(AttemptListener listener) {
    retrying.listener(listener);
  }

  /**
   * What the exporter sends to (endpoint, encoding; header values redacted), as given to the
   * builder.
   */
  @Override
  public String description() {
    return description;
  }

  @Override
  public TraceBatch asSent(TraceBatch batch) {
    return sender.asSent(batch);
  }

  /** Merged and cut as {@code sending_queue.batch} says, as the running exporter would. */
  @Override
  public List<TraceBatch> asSent(List<TraceBatch> batches) {
    final Batcher together = new Batcher(batchConfig, maxRequestBytes);
    final List<TraceBatch> out = new ArrayList<>();
    for (TraceBatch batch : batches) {
      together.add(new Unqueued(batch), 0).forEach(b -> out.add(sender.asSent(b.batch)));
    }
    final Batcher.Batch last = together.flush(Batcher.FlushReason.SHUTDOWN);
    if (last != null) {
      out.add(sender.asSent(last.batch));
    }
    return out;
  }

  /**
   * Opens the queue (a disk queue's directory and lock, and what an earlier run left there), then
   * the sender.
   *
   * @throws IllegalStateException naming what is wrong when either cannot start; the exporter then
   *     stays unstarted
   */
  @Override
  public synchronized void start() {
    if (closing.get() || started.get()) {
      return;
    }
    queue.open();
    sender.start();
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
    final boolean queued;
    try {
      queued = queue.offer(batch);
    } catch (UncheckedIOException e) {
      countEnqueueFailed(batch.spanCount(), "writing to the disk queue failed: " + e.getCause());
      return false;
    } catch (IllegalStateException e) {
      countEnqueueFailed(
          batch.spanCount(), closing.get() ? "the exporter is shut down" : e.getMessage());
      return false;
    }
    if (!queued) {
      countEnqueueFailed(batch.spanCount(), queue.fullReason());
      return false;
    }
    pump();
    return true;
  }

  @Override
  public Optional<String> refusal(long bytes) {
    if (!queueConfig.refusesWhenFull()) {
      return Optional.empty();
    }
    return queue.refusal(bytes).map(why -> "exporter " + id + ": " + why);
  }

  @Override
  public boolean refusesWhenFull() {
    return queueConfig.refusesWhenFull();
  }

  @Override
  public Optional<QueueConfig> diskQueue() {
    return queueConfig.isDisk() ? Optional.of(queueConfig) : Optional.empty();
  }

  /**
   * The subdirectory of {@code sending_queue.directory} an exporter owns: its id, {@code /} as
   * {@code -}.
   */
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
    retrying.deadline(clock.monotonicTime() + Math.max(0, timeout.toNanos()));
    if (!started.get()) {
      stopNow();
      return terminated;
    }
    try {
      deadlineTask =
          scheduler.schedule(this::stopNow, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
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
    return queue.size();
  }

  @Override
  public String toString() {
    return "QueuedRetryingExporter{id="
        + id
        + ", "
        + description
        + ", queue_size="
        + queueConfig.queueSize()
        + ", num_consumers="
        + numConsumers
        + ", retry="
        + retry
        + '}';
  }

  // Hands queued batches to the batcher and batches to free consumers. Called after every offer,
  // every finished batch and every flush timer; either the offering thread sees a free consumer or
  // the finishing one sees the batch.
  private void pump() {
    synchronized (lock) {
      while (started.get() && !stopping && !terminated.isDone()) {
        if (!ready.isEmpty()) {
          if (inFlight.size() >= numConsumers) {
            break;
          }
          deliver(ready.pollFirst());
          continue;
        }
        if (leaveBacklog || (!batcher.hasPending() && inFlight.size() >= numConsumers)) {
          break; // a batch being filled holds a consumer: take more only for it or for a free one
        }
        final SendingQueue.Entry entry = queue.poll();
        if (entry == null) {
          if (closing.get() && batcher.hasPending()) {
            ready.addLast(batcher.flush(Batcher.FlushReason.SHUTDOWN)); // draining: no more waiting
            continue;
          }
          break;
        }
        ready.addAll(batcher.add(entry, clock.monotonicTime()));
      }
      armFlushTimer();
    }
  }

  // One timer for the batch being filled, due flush_timeout after it was started.
  private void armFlushTimer() {
    if (!batcher.hasPending() || stopping) {
      return;
    }
    final long due = batcher.pendingDeadlineNanos();
    if (flushTimer != null && flushTimerDue - due <= 0) {
      return; // fires no later than needed, and re-arms then
    }
    if (flushTimer != null) {
      flushTimer.cancel(false);
    }
    try {
      flushTimer =
          scheduler.schedule(
              this::onFlushTimer, Math.max(0, due - clock.monotonicTime()), TimeUnit.NANOSECONDS);
      flushTimerDue = due;
    } catch (RejectedExecutionException e) {
      flushTimer = null; // shutting down: stopNow accounts for the pending batch
    }
  }

  private void onFlushTimer() {
    synchronized (lock) {
      flushTimer = null;
      if (batcher.hasPending() && clock.monotonicTime() - batcher.pendingDeadlineNanos() >= 0) {
        ready.addLast(batcher.flush(Batcher.FlushReason.TIMEOUT));
      }
    }
    pump();
  }

  private void deliver(Batcher.Batch batch) {
    if (batch.reason != Batcher.FlushReason.NONE) {
      telemetry.recordBatch(
          batch.batch.spanCount(), batch.batch.request().getSerializedSize(), batch.reason.tag);
    }
    final Delivering delivering = new Delivering(batch);
    inFlight.add(delivering);
    delivering.delivery = retrying.send(batch.batch, result -> finish(delivering, result));
  }

  // Runs once per delivery, whatever ends it: frees its consumer, counts, finishes its entries.
  private void finish(Delivering delivering, RetryingSender.Result result) {
    synchronized (lock) {
      inFlight.remove(delivering);
      end(delivering.batch, result);
    }
    pump();
    maybeTerminate();
  }

  // Counts a batch that will not be sent (again) and finishes the queue entries it completes.
  private void end(Batcher.Batch batch, RetryingSender.Result result) {
    // Unsent at shutdown on disk: it stays there for the next run, so it is not lost, only counted
    // as left (per entry, in entryDone).
    final boolean kept = result.outcome() == Outcome.DROPPED && queue.durable();
    final int spans = batch.batch.spanCount();
    if (kept) {
      leaveBacklog = true;
    } else if (result.outcome() == Outcome.SENT) {
      telemetry.sentSpans.increment(spans);
    } else {
      telemetry.sendFailedSpans.increment(spans);
      if (closing.get()) {
        droppedAfterShutdown.addAndGet(spans);
      }
      if (result.why() != null) {
        final long suppressed = sendFailedLog.tryLog();
        if (suppressed >= 0) {
          logger.warn(
              "exporter {}: {} spans {}{}",
              id,
              spans,
              result.why(),
              ThrottledLogger.suppressedNote(suppressed));
        }
      }
    }
    final Throwable failure =
        result.outcome() == Outcome.SENT
            ? null
            : result.error() != null
                ? result.error()
                : new IllegalStateException(
                    "exporter " + id + " shut down before the batch was sent");
    for (Batcher.Tracked part : batch.parts) {
      if (part.partDone(kept, failure)) {
        entryDone(part);
      }
    }
  }

  private void entryDone(Batcher.Tracked tracked) {
    if (tracked.kept) {
      tracked.entry.keep(); // even parts already sent: the next run sends the whole entry again
      keptOnDiskSpans.addAndGet(tracked.entry.batch().spanCount());
      return;
    }
    tracked.entry.done();
    try {
      deliveryListener.done(tracked.entry.batch(), tracked.error);
    } catch (RuntimeException e) {
      logger.warn("exporter {}: delivery listener failed", id, e);
    }
  }

  private void maybeTerminate() {
    final boolean drained;
    synchronized (lock) {
      drained =
          inFlight.isEmpty()
              && ready.isEmpty()
              && !batcher.hasPending()
              && (queue.size() == 0 || leaveBacklog || !started.get());
    }
    if (closing.get() && !stopping && !terminated.isDone() && drained) {
      terminate();
    }
  }

  // The deadline: whatever has not been sent by now is dropped (in memory) or left on disk. Batches
  // queued, being filled or ready count as such; those being sent are cut off and counted too.
  private void stopNow() {
    final List<Delivering> abandoned;
    synchronized (lock) {
      stopping = true; // terminate once, below, after every batch is counted
      if (flushTimer != null) {
        flushTimer.cancel(false);
        flushTimer = null;
      }
      // A disk queue stays open until terminate(): a send that succeeds while the ones in flight
      // are being cut off below must still be acknowledged, or the next run would send it again.
      for (SendingQueue.Entry entry :
          queue.durable() ? List.<SendingQueue.Entry>of() : queue.close()) {
        final int spans = entry.batch().spanCount();
        telemetry.sendFailedSpans.increment(spans);
        droppedAfterShutdown.addAndGet(spans);
        entry.done();
      }
      final Batcher.Batch pending = batcher.flush(Batcher.FlushReason.SHUTDOWN);
      if (pending != null) {
        ready.addLast(pending);
      }
      final RetryingSender.Result unsent = new RetryingSender.Result(Outcome.DROPPED, null, null);
      for (Batcher.Batch batch = ready.pollFirst(); batch != null; batch = ready.pollFirst()) {
        end(batch, unsent);
      }
      abandoned = new ArrayList<>(inFlight);
    }
    for (Delivering delivering : abandoned) {
      final RetryingSender.Delivery delivery = delivering.delivery;
      if (delivery != null && delivery.abandon() == RetryingSender.Abandoned.CUT_OFF) {
        cutOffSpans.addAndGet(delivering.batch.batch.spanCount());
      }
    }
    terminate();
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
    if (queue.durable()) {
      leftForNextRun = queue.waitingSpans() + keptOnDiskSpans.get();
    }
    queue.close();
    telemetry.removeGauges();
    final long dropped = droppedAfterShutdown.get();
    logStopped(dropped, leftForNextRun);
    terminated.complete(dropped);
    if (ownsScheduler) {
      // last: this may be the scheduler's own thread, and callers' callbacks must not see it
      // interrupted
      scheduler.shutdownNow();
    }
  }

  /** The exporter's one line at shutdown: what it did not send, and where that is now. */
  private void logStopped(long dropped, long left) {
    if (dropped == 0 && left == 0) {
      // One built but never started (map's dry run) has no lifecycle to report.
      if (started.get()) {
        logger.info("exporter {} stopped: every queued span was sent", id);
      }
      return;
    }
    final StringBuilder line = new StringBuilder();
    if (dropped > 0) {
      line.append(dropped).append(" spans dropped (not sent)");
    }
    if (left > 0) {
      line.append(dropped > 0 ? ", " : "")
          .append(left)
          .append(" spans left in the disk queue for the next run (")
          .append(((DiskSendingQueue) queue).directory())
          .append(')');
    }
    final long cutOff = cutOffSpans.get();
    if (cutOff > 0) {
      line.append("; ")
          .append(cutOff)
          .append(" of them were being sent at the deadline and may have reached the" + " backend")
          .append(left > 0 ? " (the next run sends them again: possible duplicates)" : "");
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

  @Override
  public Set<String> meteredUnder() {
    return Set.of(id);
  }

  private void countEnqueueFailed(int spans, String why) {
    telemetry.enqueueFailedSpans.increment(spans);
    enqueueFailedSinceLog.addAndGet(spans);
    if (enqueueFailedLog.tryLog() >= 0) {
      final long dropped = enqueueFailedSinceLog.getAndSet(0);
      logger.warn(
          "exporter {}: dropped {} spans since the last report because {}", id, dropped, why);
    }
  }

  /** A batch that is in no queue. */
  private record Unqueued(TraceBatch batch) implements SendingQueue.Entry {
    @Override
    public void done() {}

    @Override
    public void keep() {}
  }

  /** A batch handed to a consumer. */
  private static final class Delivering {
    final Batcher.Batch batch;
    volatile RetryingSender.Delivery delivery;

    Delivering(Batcher.Batch batch) {
      this.batch = batch;
    }
  }
}
