package dev.genainormalizer.exporter.debug;

import dev.genainormalizer.config.Validatable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code debug} exporter's YAML block.
 *
 * @param verbosity {@code basic} or {@code detailed} (default)
 * @param maxValueLength string values longer than this many characters are cut, with a note of how
 *     many were left out; default 256
 */
public record DebugExporterConfig(Verbosity verbosity, Integer maxValueLength)
    implements Validatable {
  public static final int DEFAULT_MAX_VALUE_LENGTH = 256;

  public DebugExporterConfig {
    verbosity = verbosity == null ? Verbosity.DETAILED : verbosity;
    maxValueLength = maxValueLength == null ? DEFAULT_MAX_VALUE_LENGTH : maxValueLength;
  }

  public static DebugExporterConfig defaults() {
    return new DebugExporterConfig(null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (maxValueLength < 1) {
      errors.add("max_value_length: " + maxValueLength + " (expected: >= 1)");
    }
    return errors;
  }
}
