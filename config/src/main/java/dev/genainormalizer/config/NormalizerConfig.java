package dev.genainormalizer.config;

import java.util.Map;

/**
 * A whole, validated config: each component's bound config record by id, and the service section.
 * Maps keep the YAML order.
 */
public record NormalizerConfig(
    Map<ComponentId, Record> receivers,
    Map<ComponentId, Record> processors,
    Map<ComponentId, Record> exporters,
    ServiceConfig service) {

  public NormalizerConfig {
    receivers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(receivers));
    processors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processors));
    exporters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(exporters));
  }

  public Map<ComponentId, Record> section(ComponentKind kind) {
    return switch (kind) {
      case RECEIVER -> receivers;
      case PROCESSOR -> processors;
      case EXPORTER -> exporters;
    };
  }
}
