package dev.genainormalizer.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A component id as written in YAML: {@code type} or {@code type/name}, as in the Collector.
 *
 * @param type lower_snake_case component type, e.g. {@code otlphttp}
 * @param name optional instance name after the slash; empty when absent
 */
public record ComponentId(String type, String name) {
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  public ComponentId {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses {@code type} or {@code type/name}.
   *
   * @throws IllegalArgumentException with a message naming the bad id and the expected form
   */
  public static ComponentId parse(String id) {
    Objects.requireNonNull(id, "id");
    final int slash = id.indexOf('/');
    final String type = slash < 0 ? id : id.substring(0, slash);
    final String name = slash < 0 ? "" : id.substring(slash + 1);
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "invalid component id '"
              + id
              + "' (expected: type or type/name, type in lower_snake_case)");
    }
    if (slash >= 0 && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid component id '"
              + id
              + "' (expected: a non-empty name of letters, digits, '_', '.', '-' after '/')");
    }
    return new ComponentId(type, name);
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
