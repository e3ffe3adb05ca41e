package dev.genainormalizer.config;

import java.util.List;
import java.util.Objects;

/**
 * One meter as a component declares it, once: what it is called, what it measures and which tags it
 * carries. Components build their meters from these and {@code docs/telemetry.md} is rendered from
 * them, so the documentation cannot drift from the code.
 *
 * @param name the Micrometer name (dots; Prometheus shows dots as underscores, adds {@code _total}
 *     to counters and the unit to timers)
 * @param type the kind of meter
 * @param unit base unit, e.g. {@code bytes}, {@code seconds}, {@code {spans}}; empty when none
 * @param description one sentence
 * @param tags tag keys, in the order they are documented
 */
public record MeterSpec(
    String name, Type type, String unit, String description, List<String> tags) {
  /** The Micrometer meter type. */
  public enum Type {
    COUNTER,
    GAUGE,
    TIMER,
    HISTOGRAM
  }

  public MeterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    unit = unit == null ? "" : unit;
    description = description == null ? "" : description;
    tags = List.copyOf(tags == null ? List.of() : tags);
  }

  public static MeterSpec counter(String name, String unit, String description, String... tags) {
    return new MeterSpec(name, Type.COUNTER, unit, description, List.of(tags));
  }

  public static MeterSpec gauge(String name, String unit, String description, String... tags) {
    return new MeterSpec(name, Type.GAUGE, unit, description, List.of(tags));
  }

  public static MeterSpec timer(String name, String description, String... tags) {
    return new MeterSpec(name, Type.TIMER, "seconds", description, List.of(tags));
  }

  public static MeterSpec histogram(String name, String unit, String description, String... tags) {
    return new MeterSpec(name, Type.HISTOGRAM, unit, description, List.of(tags));
  }

  /** The unit Micrometer should be given: null instead of empty. */
  public String baseUnitOrNull() {
    return unit.isEmpty() ? null : unit;
  }
}
