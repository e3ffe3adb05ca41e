package dev.genainormalizer.config;

import dev.genainormalizer.config.internal.Durations;
import dev.genainormalizer.config.internal.LineIndex;
import dev.genainormalizer.config.internal.NestedRecords;
import dev.genainormalizer.config.internal.YamlPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the {@code batch} processors of the pipelines to their exporters: an exporter of a
 * pipeline that lists one batches with its settings ({@code sending_queue.batch}), since exporters
 * are where batching happens. Refuses what cannot be honoured with one sending queue per exporter:
 * two {@code batch} processors of different settings in one pipeline, an exporter shared by
 * pipelines whose {@code batch} processors differ, and an exporter whose own {@code
 * sending_queue.batch} differs from its pipeline's {@code batch} processor. A pipeline without a
 * {@code batch} processor leaves its exporters as their YAML says.
 */
final class PipelineBatching {
  /** Where an exporter's batching comes from: a pipeline's {@code batch} processor. */
  private record Source(String pipeline, ComponentId processor, int index, BatchConfig batch) {
    String describe() {
      return "processor '" + processor + "' of pipeline '" + pipeline + "'";
    }
  }

  /** The exporters' records with the processors' batching applied, or the errors found. */
  record Result(Map<ComponentId, Record> exporters, List<ConfigError> errors) {}

  private final LineIndex lines;
  private final List<ConfigError> errors = new ArrayList<>();

  private PipelineBatching(LineIndex lines) {
    this.lines = lines;
  }

  static Result apply(
      Map<ComponentId, Record> processors,
      Map<ComponentId, Record> exporters,
      Map<String, PipelineConfig> pipelines,
      LineIndex lines) {
    final PipelineBatching batching = new PipelineBatching(lines);
    final Map<ComponentId, Source> sources = batching.sourcesByExporter(processors, pipelines);
    final Map<ComponentId, Record> applied = batching.applyTo(exporters, sources);
    return new Result(applied, List.copyOf(batching.errors));
  }

  private Map<ComponentId, Source> sourcesByExporter(
      Map<ComponentId, Record> processors, Map<String, PipelineConfig> pipelines) {
    final Map<ComponentId, Source> byExporter = new LinkedHashMap<>();
    final Map<ComponentId, YamlPath> firstListed = new LinkedHashMap<>();
    for (Map.Entry<String, PipelineConfig> entry : pipelines.entrySet()) {
      final YamlPath pipelinePath =
          YamlPath.ROOT.key("service").key("pipelines").key(entry.getKey());
      final Source source =
          pipelineSource(entry.getKey(), entry.getValue(), processors, pipelinePath);
      if (source == null) {
        continue;
      }
      final List<ComponentId> exporters = entry.getValue().exporters();
      for (int i = 0; i < exporters.size(); i++) {
        final ComponentId exporter = exporters.get(i);
        final YamlPath itemPath = pipelinePath.key("exporters").index(i);
        final Source earlier = byExporter.putIfAbsent(exporter, source);
        firstListed.putIfAbsent(exporter, itemPath);
        if (earlier != null && !earlier.batch().equals(source.batch())) {
          error(
              itemPath,
              "exporter '"
                  + exporter
                  + "' is to batch as "
                  + source.describe()
                  + " says ("
                  + describe(source.batch())
                  + "), but also as "
                  + earlier.describe()
                  + " says ("
                  + describe(earlier.batch())
                  + "), listed at "
                  + at(firstListed.get(exporter))
                  + "; an exporter has one sending queue, batched one way: give both batch"
                  + " processors the same settings, or use one exporter per pipeline");
        }
      }
    }
    return byExporter;
  }

  /** The pipeline's {@code batch} processor, if it lists one; null if none (or none valid). */
  private Source pipelineSource(
      String pipeline,
      PipelineConfig config,
      Map<ComponentId, Record> processors,
      YamlPath pipelinePath) {
    Source chosen = null;
    final List<ComponentId> ids = config.processors();
    for (int i = 0; i < ids.size(); i++) {
      // An invalid processor is reported where it is defined; comparing it would only add noise.
      if (!(processors.get(ids.get(i)) instanceof BatchProcessorConfig processor)
          || !processor.validate().isEmpty()) {
        continue;
      }
      final Source source = new Source(pipeline, ids.get(i), i, processor.toBatchConfig());
      if (chosen == null) {
        chosen = source;
      } else if (!chosen.batch().equals(source.batch())) {
        error(
            pipelinePath.key("processors").index(i),
            "processor '"
                + source.processor()
                + "' ("
                + describe(source.batch())
                + ") sets this pipeline's batching differently from processor '"
                + chosen.processor()
                + "' ("
                + describe(chosen.batch())
                + "), listed at "
                + at(pipelinePath.key("processors").index(chosen.index()))
                + "; list one batch processor per pipeline");
      }
    }
    return chosen;
  }

  private Map<ComponentId, Record> applyTo(
      Map<ComponentId, Record> exporters, Map<ComponentId, Source> sources) {
    final Map<ComponentId, Record> applied = new LinkedHashMap<>(exporters);
    final Set<ComponentId> refused = new HashSet<>();
    sources.forEach(
        (id, source) -> {
          final Record config = exporters.get(id);
          if (config == null) {
            return;
          }
          final YamlPath exporterPath = YamlPath.ROOT.key("exporters").key(id.toString());
          NestedRecords.find(config, QueueConfig.class)
              .forEach(
                  (relative, queue) -> {
                    if (queue.batch() != null && !queue.batch().equals(source.batch())) {
                      refused.add(id);
                      final YamlPath batchPath = exporterPath.resolve(relative).key("batch");
                      error(
                          batchPath,
                          "set here ("
                              + describe(queue.batch())
                              + ") and by "
                              + source.describe()
                              + " ("
                              + describe(source.batch())
                              + "), defined at "
                              + at(
                                  YamlPath.ROOT
                                      .key("processors")
                                      .key(source.processor().toString()))
                              + "; set the exporter's batching in one place,"
                              + " or give both the same settings");
                    }
                  });
          if (refused.contains(id)) {
            return;
          }
          try {
            applied.put(
                id,
                NestedRecords.replace(
                    config,
                    QueueConfig.class,
                    queue -> queue.batch() == null ? queue.withBatch(source.batch()) : queue));
          } catch (IllegalStateException e) {
            error(
                exporterPath,
                "cannot apply the batching of "
                    + source.describe()
                    + " ("
                    + e.getClass().getSimpleName()
                    + ": "
                    + e.getMessage()
                    + ")");
          }
        });
    return applied;
  }

  private void error(YamlPath path, String message) {
    errors.add(new ConfigError(path.toString(), lines.lineOf(path), message));
  }

  private String at(YamlPath path) {
    final int line = lines.lineOf(path);
    return line == 0 ? path.toString() : path + ", line " + line;
  }

  private static String describe(BatchConfig batch) {
    if (!batch.enabled()) {
      return "enabled: false";
    }
    return "flush_timeout "
        + Durations.format(batch.flushTimeout())
        + ", min_size "
        + batch.minSize()
        + ", max_size "
        + batch.maxSize()
        + ", sizer "
        + batch.sizer().name().toLowerCase(java.util.Locale.ROOT);
  }
}
