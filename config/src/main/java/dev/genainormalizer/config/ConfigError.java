package dev.genainormalizer.config;

/**
 * One problem in a config, located by its YAML path and, where known, its 1-based line.
 *
 * @param path dotted YAML path, e.g. {@code exporters.otlphttp/a.endpoint}
 * @param line 1-based line in the config source, or 0 when unknown
 * @param message what is wrong and what was expected
 */
public record ConfigError(String path, int line, String message) {
  @Override
  public String toString() {
    final String where = path.isEmpty() ? "" : path + ": ";
    return line > 0 ? where + message + " (line " + line + ")" : where + message;
  }
}
