package dev.genainormalizer.config;

import java.util.List;

/** One pipeline: receivers feed processors in order, whose output fans out to every exporter. */
public record PipelineConfig(
    List<ComponentId> receivers, List<ComponentId> processors, List<ComponentId> exporters) {
  public PipelineConfig {
    receivers = receivers == null ? List.of() : List.copyOf(receivers);
    processors = processors == null ? List.of() : List.copyOf(processors);
    exporters = exporters == null ? List.of() : List.copyOf(exporters);
  }
}
