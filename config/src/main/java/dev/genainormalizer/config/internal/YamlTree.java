package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genainormalizer.config.ConfigError;
import java.util.List;

/**
 * A YAML document read into a Jackson tree with expanded values, the line of every key, and the
 * problems met while reading it.
 *
 * <p>Internal API: may change without notice.
 *
 * @param root the document; a {@code NullNode} when empty or unreadable
 * @param lines the line of every key and list item
 * @param errors syntax and expansion errors
 * @param readable false when the YAML could not be parsed at all; {@code root} is then empty
 */
public record YamlTree(JsonNode root, LineIndex lines, List<ConfigError> errors, boolean readable) {
  public YamlTree {
    errors = List.copyOf(errors);
  }
}
