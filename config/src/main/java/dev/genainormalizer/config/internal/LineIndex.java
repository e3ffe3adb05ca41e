package dev.genainormalizer.config.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The 1-based line of every key and list item of a YAML document. A path that is not in the
 * document (a key the user left out) resolves to its nearest enclosing key that is.
 *
 * <p>Internal API: may change without notice.
 */
public final class LineIndex {
  private final Map<YamlPath, Integer> lines = new HashMap<>();

  void put(YamlPath path, int line) {
    lines.putIfAbsent(path, line);
  }

  public boolean contains(YamlPath path) {
    return lines.containsKey(path);
  }

  /** The line of {@code path} or of its nearest enclosing path in the document; 0 if none. */
  public int lineOf(YamlPath path) {
    YamlPath p = path;
    while (true) {
      final Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isRoot()) {
        return 0;
      }
      p = p.parent();
    }
  }
}
