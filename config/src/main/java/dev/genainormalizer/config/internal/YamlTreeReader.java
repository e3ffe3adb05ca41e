package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.genainormalizer.config.ConfigError;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML with SnakeYAML's composer (not its constructor) so every key keeps its line, then
 * converts the node graph into a Jackson tree, expanding references in scalar values on the way.
 *
 * <p>Internal API: may change without notice.
 */
public final class YamlTreeReader {
  /** Guards against alias bombs: a config has a few hundred nodes, not millions. */
  private static final int MAX_NODES = 100_000;

  private static final int MAX_DEPTH = 64;

  private final Expander expander;
  private final Resolver resolver = new UntypedResolver();
  private final LineIndex lines = new LineIndex();
  private final List<ConfigError> errors = new ArrayList<>();
  private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
  private int nodes;

  private YamlTreeReader(Expander expander) {
    this.expander = expander;
  }

  /**
   * Reads one YAML document.
   *
   * @param sourceName names the source in syntax errors, e.g. a file name
   */
  public static YamlTree read(String text, String sourceName, Expander expander) {
    return new YamlTreeReader(expander).read(text, sourceName);
  }

  private YamlTree read(String text, String sourceName) {
    final Node node;
    try {
      final LoaderOptions options = new LoaderOptions();
      options.setMergeOnCompose(true);
      options.setAllowRecursiveKeys(false);
      options.setMaxAliasesForCollections(50);
      options.setNestingDepthLimit(MAX_DEPTH);
      final Composer composer =
          new Composer(
              new ParserImpl(new StreamReader(new StringReader(text)), options), resolver, options);
      node = composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      final Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      // Only the short problem text: getMessage() quotes the source, which may hold a secret.
      final String problem =
          e.getContext() == null ? e.getProblem() : e.getContext() + ", " + e.getProblem();
      errors.add(
          new ConfigError(
              "",
              mark == null ? 0 : mark.getLine() + 1,
              "invalid YAML in " + sourceName + ": " + problem));
      return new YamlTree(NullNode.getInstance(), lines, errors, false);
    } catch (YAMLException e) {
      errors.add(
          new ConfigError(
              "", 0, "invalid YAML in " + sourceName + ": " + firstLine(e.getMessage())));
      return new YamlTree(NullNode.getInstance(), lines, errors, false);
    }
    if (node == null) {
      return new YamlTree(NullNode.getInstance(), lines, errors, true);
    }
    lines.put(YamlPath.ROOT, line(node));
    final JsonNode root;
    try {
      root = convert(node, YamlPath.ROOT, 0);
    } catch (TooLargeException e) {
      errors.add(
          new ConfigError(
              "",
              0,
              "invalid YAML in "
                  + sourceName
                  + ": more than "
                  + MAX_NODES
                  + " values after expanding aliases"));
      return new YamlTree(NullNode.getInstance(), lines, errors, false);
    }
    return new YamlTree(root, lines, errors, true);
  }

  private JsonNode convert(Node node, YamlPath path, int depth) {
    if (++nodes > MAX_NODES) {
      throw new TooLargeException();
    }
    if (depth > MAX_DEPTH || !inProgress.add(node)) {
      errors.add(
          new ConfigError(path.toString(), line(node), "recursive or too deeply nested value"));
      return NullNode.getInstance();
    }
    try {
      if (node instanceof ScalarNode) {
        return scalar((ScalarNode) node, path);
      }
      if (node instanceof SequenceNode) {
        final ArrayNode array = JsonNodeFactory.instance.arrayNode();
        final List<Node> items = ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
          final YamlPath itemPath = path.index(i);
          lines.put(itemPath, line(items.get(i)));
          array.add(convert(items.get(i), itemPath, depth + 1));
        }
        return array;
      }
      return mapping((MappingNode) node, path, depth);
    } finally {
      inProgress.remove(node);
    }
  }

  private JsonNode mapping(MappingNode node, YamlPath path, int depth) {
    final ObjectNode object = JsonNodeFactory.instance.objectNode();
    final Map<String, Integer> firstLines = new HashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      final Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode)) {
        errors.add(
            new ConfigError(
                path.toString(),
                line(keyNode),
                "a key must be a plain value, not a list or mapping"));
        continue;
      }
      final String key = ((ScalarNode) keyNode).getValue();
      final YamlPath keyPath = path.key(key);
      final Integer first = firstLines.putIfAbsent(key, line(keyNode));
      if (first != null) {
        errors.add(
            new ConfigError(
                keyPath.toString(), line(keyNode), "duplicate key (first at line " + first + ")"));
        continue;
      }
      lines.put(keyPath, line(keyNode));
      object.set(key, convert(tuple.getValueNode(), keyPath, depth + 1));
    }
    return object;
  }

  private JsonNode scalar(ScalarNode node, YamlPath path) {
    final String raw = node.getValue();
    String text = raw;
    if (Expander.needsExpansion(raw)) {
      final Expander.Result result = expander.expand(raw);
      for (String error : result.errors()) {
        errors.add(new ConfigError(path.toString(), line(node), error));
      }
      if (!result.ok()) {
        return NullNode.getInstance();
      }
      text = result.value();
    }
    final Tag tag = node.getTag();
    if (!tag.equals(UntypedResolver.IMPLICIT)) {
      final String name =
          tag.getValue().startsWith(Tag.PREFIX)
              ? tag.getValue().substring(Tag.PREFIX.length())
              : tag.getValue();
      final JsonNode typed = ScalarTyper.tagged(name, text);
      if (typed == null) {
        errors.add(
            new ConfigError(
                path.toString(),
                line(node),
                "value does not fit its tag '"
                    + tag.getValue()
                    + "' (supported tags: !!str, !!int, !!float, !!bool, !!null)"));
        return NullNode.getInstance();
      }
      return typed;
    }
    if (!node.isPlain()) {
      return TextNode.valueOf(text);
    }
    // A plain value that expanded to nothing is an empty string, not null: null would silently
    // fall back to the default.
    if (text.isEmpty() && !raw.isEmpty()) {
      return TextNode.valueOf("");
    }
    return ScalarTyper.plain(text);
  }

  private static int line(Node node) {
    final Mark mark = node.getStartMark();
    return mark == null ? 0 : mark.getLine() + 1;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    final int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * Leaves implicit scalars untyped (so any other tag on a scalar was written by the user) and
   * types them later by the YAML 1.2 core schema, after expansion. Only {@code <<} is still
   * resolved, as the composer needs it to apply merge keys.
   */
  private static final class UntypedResolver extends Resolver {
    static final Tag IMPLICIT = new Tag("tag:genai-normalizer.dev,2026:implicit");

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      final Tag tag = super.resolve(kind, value, implicit);
      if (kind != NodeId.scalar || tag.equals(Tag.MERGE)) {
        return tag;
      }
      return IMPLICIT;
    }
  }

  private static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super(null, null, false, false);
    }
  }
}
