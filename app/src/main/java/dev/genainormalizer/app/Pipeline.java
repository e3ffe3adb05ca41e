package dev.genainormalizer.app;

import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured pipeline: its processors in order, then fan-out to every exporter. Processors that
 * hold spans back release them through {@link #tick()}, which runs the released spans through the
 * processors after the one that held them.
 */
final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private final String id;
  private final List<TraceProcessor> processors;
  private final List<TraceExporter> exporters;
  private final Consumer<TraceBatch> afterProcessors;
  private final HeldSpanJournal journal; // null: nothing held, or no disk queue to match
  private final Clock clock;
  private final long maxHoldNanos;
  // Set when released spans could not be queued: the journal then keeps everything until the next
  // start replays it, rather than forget requests whose spans are in no queue.
  private volatile boolean journalPinned;

  Pipeline(String id, List<TraceProcessor> processors, List<TraceExporter> exporters) {
    this(id, processors, exporters, batch -> {});
  }

  /**
   * @param afterProcessors sees every non-empty batch that leaves the processors, before the
   *     exporters (the LLM usage metrics); must not throw
   */
  Pipeline(
      String id,
      List<TraceProcessor> processors,
      List<TraceExporter> exporters,
      Consumer<TraceBatch> afterProcessors) {
    this(id, processors, exporters, afterProcessors, null, Clock.SYSTEM);
  }

  /**
   * @param journal where requests with held spans are kept until those spans are queued; null for
   *     none (in-memory queues only)
   * @param clock the processors' clock, which times their holds
   */
  Pipeline(
      String id,
      List<TraceProcessor> processors,
      List<TraceExporter> exporters,
      Consumer<TraceBatch> afterProcessors,
      HeldSpanJournal journal,
      Clock clock) {
    this.id = id;
    this.processors = List.copyOf(processors);
    this.exporters = List.copyOf(exporters);
    this.afterProcessors = afterProcessors;
    this.journal = journal;
    this.clock = clock;
    this.maxHoldNanos = maxHold(processors).toNanos();
  }

  /** The longest any of {@code processors} holds a span; zero when none holds. */
  static Duration maxHold(List<TraceProcessor> processors) {
    Duration max = Duration.ZERO;
    for (TraceProcessor p : processors) {
      if (p.maxHold().compareTo(max) > 0) {
        max = p.maxHold();
      }
    }
    return max;
  }

  List<TraceProcessor> processors() {
    return processors;
  }

  List<TraceExporter> exporters() {
    return exporters;
  }

  String id() {
    return id;
  }

  /**
   * What became of a received batch.
   *
   * @param processed what the processors made of it (sent to every exporter that took it)
   * @param unqueued how many exporters with {@code on_full: refuse} could not queue it (a disk
   *     write failed, or shutting down; each logged why): the client must not be told it was
   *     accepted
   */
  record Outcome(ProcessResult processed, int unqueued) {
    boolean queued() {
      return unqueued == 0;
    }
  }

  /**
   * Why this pipeline cannot take a request of about {@code bytes} now (an exporter's queue is full
   * and refuses), or empty. Checked before the request runs through the processors, so that a
   * refused request leaves no trace in them and its retry is processed afresh.
   */
  Optional<String> refusal(long bytes) {
    for (TraceExporter exporter : exporters) {
      final Optional<String> refusal = exporter.refusal(bytes);
      if (refusal.isPresent()) {
        return refusal;
      }
    }
    return Optional.empty();
  }

  /**
   * What the exporters did not queue of the batches a call handed them.
   *
   * @param refusing exporters with {@code on_full: refuse} that could not queue a batch
   * @param spans spans some exporter could not queue, once per such exporter
   */
  private static final class Unqueued {
    int refusing;
    long spans;
  }

  /**
   * What the stop's release of held spans did.
   *
   * @param releasedSpans spans the processors had held and released into the exporters
   * @param notQueuedSpans of those, the spans an exporter could not queue (once per such exporter)
   */
  record Drained(long releasedSpans, long notQueuedSpans) {}

  /** Runs a received batch through every processor and hands what comes out to the exporters. */
  Outcome consume(TraceBatch batch) {
    final Unqueued unqueued = new Unqueued();
    final ProcessResult processed = runFrom(0, batch, unqueued);
    if (journal != null && unqueued.refusing == 0 && processed.heldSpans() > 0) {
      try {
        journal.record(batch, clock.monotonicTime());
      } catch (RuntimeException e) {
        log.warn(
            "pipeline {}: journaling a request with held spans in {} failed; refusing it: {}",
            id,
            journal.directory(),
            e.toString());
        unqueued.refusing++;
      }
    }
    return new Outcome(processed, unqueued.refusing);
  }

  /**
   * Processes again what an earlier run journaled and had not queued yet; call before receiving.
   */
  int replayJournal() {
    if (journal == null || journal.fromEarlierRuns() == 0) {
      return 0;
    }
    final int requests = journal.fromEarlierRuns();
    log.info(
        "pipeline {}: processing again {} request(s) whose held spans the last run had not queued"
            + " (from {})",
        id,
        requests,
        journal.directory());
    journal.replay(request -> consume(request).queued());
    return requests;
  }

  /**
   * Makes the processors forget a batch they processed but the client was told to send again, so
   * the retry is not taken for a duplicate.
   */
  void forget(TraceBatch batch) {
    for (TraceProcessor processor : processors) {
      processor.forget(batch);
    }
  }

  /** Releases spans whose wait is over; called on a timer. */
  void tick() {
    final long start = clock.monotonicTime();
    final Unqueued unqueued = new Unqueued();
    flushAll(false, unqueued);
    settleJournal(unqueued.refusing == 0, () -> journal.forgetUpTo(start - maxHoldNanos));
  }

  /** Releases every held span; called once at shutdown, before the exporters drain. */
  Drained drain() {
    final Unqueued unqueued = new Unqueued();
    final long released = flushAll(true, unqueued);
    settleJournal(unqueued.refusing == 0, () -> journal.forgetAll());
    if (journal != null) {
      journal.close();
    }
    if (released > 0) {
      log.info(
          "pipeline {}: released {} held spans to the exporters{}",
          id,
          released,
          unqueued.spans == 0 ? "" : " (" + unqueued.spans + " could not be queued)");
    }
    return new Drained(released, unqueued.spans);
  }

  /**
   * After released spans went to the exporters: forgets what the journal no longer needs, or, when
   * some could not be queued, pins the journal until the next start.
   */
  private void settleJournal(boolean queued, Runnable forget) {
    if (journal == null) {
      return;
    }
    if (queued) {
      if (!journalPinned) {
        forget.run();
      }
    } else if (!journalPinned) {
      journalPinned = true;
      log.error(
          "pipeline {}: released held spans could not be queued; the journal in {} now keeps every"
              + " request until the next start processes them again",
          id,
          journal.directory());
    }
  }

  /**
   * Runs released spans on, noting what the exporters did not queue; returns the spans released.
   */
  private long flushAll(boolean all, Unqueued unqueued) {
    long released = 0;
    for (int i = 0; i < processors.size(); i++) {
      final TraceBatch batch = processors.get(i).flush(all);
      if (!batch.isEmpty()) {
        released += batch.spanCount();
        // Nobody to refuse here: released spans were acknowledged long ago. An exporter that could
        // not queue them counted and logged it; the journal keeps their requests.
        runFrom(i + 1, batch, unqueued);
      }
    }
    return released;
  }

  private ProcessResult runFrom(int first, TraceBatch batch, Unqueued unqueued) {
    TraceBatch current = batch;
    long rejected = 0;
    long held = 0;
    final StringBuilder messages = new StringBuilder();
    for (int i = first; i < processors.size() && !current.isEmpty(); i++) {
      final ProcessResult result = processors.get(i).process(current);
      held += result.heldSpans();
      if (result.rejectedSpans() > 0) {
        rejected += result.rejectedSpans();
        if (messages.length() > 0) {
          messages.append("; ");
        }
        messages.append(result.rejectionMessage());
      }
      current = result.output();
    }
    if (!current.isEmpty()) {
      afterProcessors.accept(current);
      for (TraceExporter exporter : exporters) {
        if (!exporter.export(current)) {
          unqueued.spans += current.spanCount();
          if (exporter.refusesWhenFull()) {
            unqueued.refusing++;
          }
        }
      }
    }
    return new ProcessResult(current, rejected, messages.toString(), held);
  }
}
