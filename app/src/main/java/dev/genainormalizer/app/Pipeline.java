package dev.genainormalizer.app;

import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One configured pipeline: its processors in order, then fan-out to every exporter. Processors
 * that hold spans back release them through {@link #tick()}, which runs the released spans through
 * the processors after the one that held them.
 */
final class Pipeline {
  private final String id;
  private final List<TraceProcessor> processors;
  private final List<TraceExporter> exporters;
  private final Consumer<TraceBatch> afterProcessors;

  Pipeline(String id, List<TraceProcessor> processors, List<TraceExporter> exporters) {
    this(id, processors, exporters, batch -> {});
  }

  /**
   * @param afterProcessors sees every non-empty batch that leaves the processors, before the
   *     exporters (the LLM usage metrics); must not throw
   */
  Pipeline(String id, List<TraceProcessor> processors, List<TraceExporter> exporters,
      Consumer<TraceBatch> afterProcessors) {
    this.id = id;
    this.processors = List.copyOf(processors);
    this.exporters = List.copyOf(exporters);
    this.afterProcessors = afterProcessors;
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
   * @param unqueued how many exporters with {@code on_full: refuse} could not queue it (a disk write
   *     failed, or shutting down; each logged why): the client must not be told it was accepted
   */
  record Outcome(ProcessResult processed, int unqueued) {}

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

  /** Runs a received batch through every processor and hands what comes out to the exporters. */
  Outcome consume(TraceBatch batch) {
    final int[] unqueued = new int[1];
    final ProcessResult processed = runFrom(0, batch, unqueued);
    return new Outcome(processed, unqueued[0]);
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
    flushAll(false);
  }

  /** Releases every held span; called once at shutdown, before the exporters drain. */
  void drain() {
    flushAll(true);
  }

  private void flushAll(boolean all) {
    for (int i = 0; i < processors.size(); i++) {
      final TraceBatch released = processors.get(i).flush(all);
      if (!released.isEmpty()) {
        // Nobody to refuse here: released spans were acknowledged long ago. An exporter that could
        // not queue them counted and logged it.
        runFrom(i + 1, released, new int[1]);
      }
    }
  }

  private ProcessResult runFrom(int first, TraceBatch batch, int[] unqueued) {
    TraceBatch current = batch;
    long rejected = 0;
    final StringBuilder messages = new StringBuilder();
    for (int i = first; i < processors.size() && !current.isEmpty(); i++) {
      final ProcessResult result = processors.get(i).process(current);
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
        if (!exporter.export(current) && exporter.refusesWhenFull()) {
          unqueued[0]++;
        }
      }
    }
    return new ProcessResult(current, rejected, messages.toString());
  }
}
