package dev.genainormalizer.exporter.file;

import dev.genainormalizer.config.Validatable;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code file} exporter's YAML block.
 *
 * @param path file to append to, one OTLP/JSON request per line; required. Created if missing, but
 *     its directory must exist: a typo in the directory should fail at start, not create a tree
 */
public record FileExporterConfig(String path) implements Validatable {
  public FileExporterConfig {
    path = path == null ? "" : path.trim();
  }

  public static FileExporterConfig defaults() {
    return new FileExporterConfig(null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (path.isEmpty()) {
      errors.add("path: required (expected: a file to append OTLP/JSON lines to)");
      return errors;
    }
    try {
      Path.of(path);
    } catch (InvalidPathException e) {
      errors.add("path: '" + path + "' (expected: a valid file path; " + e.getReason() + ")");
    }
    return errors;
  }
}
