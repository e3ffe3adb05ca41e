package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.AttemptListener;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retry_on_failure} around a {@link TraceSender}: sends one batch until the backend accepts
 * it, waiting between attempts with exponential backoff and jitter, never less than the delay the
 * server asked for; gives up at once on a {@link PermanentExportException}, when the next attempt
 * would pass {@code max_elapsed_time}, or, once a shutdown {@link #deadline} is set, when it would
 * pass that. Attempts and their timers run on the exporter's scheduler.
 */
final class RetryingSender {
  private static final Logger logger = LoggerFactory.getLogger(RetryingSender.class);

  /** How a delivery ended. */
  enum Outcome {
    /** The backend accepted the batch. */
    SENT,
    /** Given up: permanent error, retry disabled, or {@code max_elapsed_time} passed. */
    FAILED,
    /** Abandoned because the exporter is shutting down. */
    DROPPED
  }

  /** What {@link Delivery#abandon} found. */
  enum Abandoned {
    /** The delivery had already ended: nothing was abandoned. */
    ALREADY_ENDED,
    /** Abandoned between attempts: its retry timer was cancelled. */
    WAITING_TO_RETRY,
    /** Abandoned while an attempt was under way (or about to start). */
    CUT_OFF
  }

  /**
   * @param why what happened, for the log line; null when there is nothing to say
   * @param error the last attempt's failure; null when sent or abandoned without one
   */
  record Result(Outcome outcome, String why, Throwable error) {}

  private final String exporterId;
  private final TraceSender sender;
  private final RetryConfig retry;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final DoubleSupplier random;
  private final ExporterTelemetry telemetry;
  private volatile long deadlineNanos;
  private volatile boolean deadlineSet; // written after deadlineNanos, read before it
  private volatile AttemptListener listener = AttemptListener.NONE;

  RetryingSender(
      String exporterId,
      TraceSender sender,
      RetryConfig retry,
      ScheduledExecutorService scheduler,
      Clock clock,
      DoubleSupplier random,
      ExporterTelemetry telemetry) {
    this.exporterId = Objects.requireNonNull(exporterId, "exporterId");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  void listener(AttemptListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** From now on, no retry is scheduled that would start after {@code nanos} (monotonic). */
  void deadline(long nanos) {
    deadlineNanos = nanos;
    deadlineSet = true;
  }

  /**
   * Starts delivering {@code batch}; {@code onDone} is told once how it ended, on whatever thread
   * ends it (a sender's completion thread, the scheduler, or the caller when the scheduler is shut
   * down).
   */
  Delivery send(TraceBatch batch, Consumer<Result> onDone) {
    final Delivery delivery = new Delivery(batch, onDone);
    try {
      scheduler.execute(delivery::attempt);
    } catch (RejectedExecutionException e) {
      delivery.end(new Result(Outcome.DROPPED, null, null));
    }
    return delivery;
  }

  /** One batch being delivered. */
  final class Delivery {
    private final TraceBatch batch;
    private final Consumer<Result> onDone;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile int attempts;
    private volatile long firstAttemptNanos;
    private volatile Future<?> pendingRetry;
    private ExponentialBackoff backoff;

    private Delivery(TraceBatch batch, Consumer<Result> onDone) {
      this.batch = batch;
      this.onDone = onDone;
    }

    /**
     * Gives up at the shutdown deadline: cancels a pending retry and reports {@link
     * Outcome#DROPPED}. An attempt still running is left to finish, but its answer no longer
     * counts: the delivery is {@link Abandoned#CUT_OFF cut off}, and the backend may have the batch
     * all the same.
     */
    Abandoned abandon() {
      final Future<?> timer = pendingRetry;
      final boolean waitingToRetry = timer != null && timer.cancel(false);
      if (!end(new Result(Outcome.DROPPED, null, null))) {
        return Abandoned.ALREADY_ENDED;
      }
      return waitingToRetry ? Abandoned.WAITING_TO_RETRY : Abandoned.CUT_OFF;
    }

    private boolean end(Result result) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      onDone.accept(result);
      return true;
    }

    private void attempt() {
      if (done.get()) {
        return;
      }
      final long start = clock.monotonicTime();
      if (attempts++ == 0) {
        firstAttemptNanos = start;
      }
      CompletableFuture<Void> sent;
      try {
        sent = sender.send(batch);
        if (sent == null) {
          sent =
              CompletableFuture.failedFuture(
                  new IllegalStateException("sender returned no future"));
        }
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((ignored, error) -> attemptDone(start, unwrap(error)));
    }

    private void attemptDone(long start, Throwable error) {
      final long now = clock.monotonicTime();
      telemetry.recordAttempt(now - start, error);
      try {
        listener.attemptDone(batch, error);
      } catch (RuntimeException e) {
        logger.warn("exporter {}: attempt listener failed", exporterId, e);
      }
      if (done.get()) {
        return; // abandoned at the shutdown deadline while this attempt was running
      }
      if (error == null) {
        end(new Result(Outcome.SENT, null, null));
        return;
      }
      if (error instanceof PermanentExportException) {
        end(
            new Result(
                Outcome.FAILED, "dropped on a permanent error: " + error.getMessage(), error));
        return;
      }
      if (!retry.enabled()) {
        end(
            new Result(
                Outcome.FAILED, "dropped (retry_on_failure disabled): " + describe(error), error));
        return;
      }
      long delay = backoff().nextDelayNanos();
      if (error instanceof RetryableExportException r && r.retryAfter().isPresent()) {
        delay = Math.max(delay, r.retryAfter().get().toNanos());
      }
      final long maxElapsed = retry.maxElapsedTime().toNanos();
      if (maxElapsed > 0 && now + delay - firstAttemptNanos > maxElapsed) {
        end(
            new Result(
                Outcome.FAILED,
                "gave up after "
                    + attempts
                    + " attempts (next retry would pass"
                    + " max_elapsed_time "
                    + retry.maxElapsedTime()
                    + "): "
                    + describe(error),
                error));
        return;
      }
      if (deadlineSet && now + delay - deadlineNanos > 0) {
        end(
            new Result(
                Outcome.DROPPED,
                "dropped at shutdown (next retry would pass the deadline): " + describe(error),
                error));
        return;
      }
      telemetry.retries.increment();
      try {
        pendingRetry = scheduler.schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        end(new Result(Outcome.DROPPED, "dropped at shutdown: " + describe(error), error));
      }
    }

    // Only the first retryable failure pays for a backoff; most batches never need one.
    private ExponentialBackoff backoff() {
      if (backoff == null) {
        backoff = new ExponentialBackoff(retry, random);
      }
      return backoff;
    }
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
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
}
