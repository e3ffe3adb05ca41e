package dev.genainormalizer.app;

import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import java.util.List;
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

  /** Runs a received batch through every processor and hands what comes out to the exporters. */
  ProcessResult consume(TraceBatch batch) {
    return runFrom(0, batch);
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
        runFrom(i + 1, released);
      }
    }
  }

  private ProcessResult runFrom(int first, TraceBatch batch) {
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
        exporter.export(current);
      }
    }
    return new ProcessResult(current, rejected, messages.toString());
  }
}
