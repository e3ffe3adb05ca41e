package dev.genainormalizer.exporter.debug;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code verbosity} of the debug exporter. */
public enum Verbosity {
  /** One line per span: name, ids, kind, duration, status. */
  @JsonProperty("basic")
  BASIC,
  /**
   * A block per span with times, status and every attribute, and each resource's attributes once.
   */
  @JsonProperty("detailed")
  DETAILED
}
