package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ConfigError;
import dev.genainormalizer.config.Secret;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Binds one YAML block to a record: overlays the block on the record's defaults (maps merge, lists
 * and scalars replace, a null value keeps the default), then lets Jackson build the record. Jackson
 * stops at the first problem, so after each one the offending user value is dropped and binding
 * retried; every problem in the block is thus reported in one run.
 *
 * <p>Internal API: may change without notice.
 */
public final class Binder {
  private static final int MAX_ATTEMPTS = 50;
  private static final int MAX_SHOWN_VALUE = 60;

  private final ObjectMapper mapper;

  public Binder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * @param user the user's block; null or a NullNode means "all defaults"
   * @param defaults the value the block is overlaid on, usually the factory's default record
   * @param path where the block sits in the document, to prefix error paths
   */
  public <T> Result<T> bind(
      JsonNode user, Object defaults, Class<T> type, YamlPath path, LineIndex lines) {
    final List<ConfigError> errors = new ArrayList<>();
    if (user != null && !user.isNull() && !user.isObject()) {
      errors.add(
          new ConfigError(
              path.toString(),
              lines.lineOf(path),
              "expected a mapping of settings, got "
                  + describe(user, SecretPaths.isSensitive(path))));
      return new Result<>(null, errors);
    }
    final JsonNode base;
    try {
      base = RecordTrees.toTree(defaults, mapper);
    } catch (RuntimeException e) {
      errors.add(
          new ConfigError(
              path.toString(),
              lines.lineOf(path),
              "cannot read the defaults of "
                  + type.getSimpleName()
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")"));
      return new Result<>(null, errors);
    }
    final ObjectNode overlay =
        user == null || user.isNull()
            ? JsonNodeFactory.instance.objectNode()
            : ((ObjectNode) user).deepCopy();
    for (Embedding.Misplaced m : Embedding.misplaced(overlay, type)) {
      final YamlPath at = path.resolve(new YamlPath(m.path()));
      final List<String> known = Embedding.keys(m.owner()).stream().sorted().toList();
      errors.add(new ConfigError(at.toString(), lines.lineOf(at), unknownKey(known)));
      remove(overlay, m.path());
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      final ObjectNode merged =
          base.isObject() ? ((ObjectNode) base).deepCopy() : JsonNodeFactory.instance.objectNode();
      merge(merged, overlay);
      try {
        // The tree stays flat for messages and retries; only Jackson sees embedded records nested.
        return new Result<>(mapper.treeToValue(Embedding.nest(merged, type), type), errors);
      } catch (JsonMappingException e) {
        final Problem problem = problem(e, type, path, merged, lines);
        if (errors.contains(problem.error())) {
          break;
        }
        errors.add(problem.error());
        if (!remove(overlay, problem.relative())) {
          break;
        }
      } catch (JacksonException | RuntimeException e) {
        errors.add(
            new ConfigError(
                path.toString(),
                lines.lineOf(path),
                "cannot read block (" + e.getClass().getSimpleName() + ")"));
        break;
      }
    }
    return new Result<>(null, errors);
  }

  private Problem problem(
      JsonMappingException e, Class<?> type, YamlPath path, JsonNode merged, LineIndex lines) {
    final List<Object> relative = Embedding.flatten(relativePath(e), type);
    if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException) {
      // Most likely List.copyOf/Map.copyOf on an empty item ("- " or "key:" in a list or map).
      final List<Object> nullItem = findNullItem(merged, relative);
      if (nullItem != null) {
        final YamlPath itemPath = path.resolve(new YamlPath(nullItem));
        return new Problem(
            nullItem,
            new ConfigError(
                itemPath.toString(), lines.lineOf(itemPath), "empty item (expected: a value)"));
      }
    }
    return new Problem(relative, translate(e, path, relative, merged, lines));
  }

  /** Deep-merges {@code overlay} into {@code base}: mappings merge, anything else replaces. */
  static void merge(ObjectNode base, ObjectNode overlay) {
    overlay
        .properties()
        .forEach(
            e -> {
              final String key = e.getKey();
              final JsonNode value = e.getValue();
              final JsonNode existing = base.get(key);
              if (value.isNull()) {
                // "key:" with nothing after it keeps the default; on an unknown key it still fails
                // binding.
                if (existing == null) {
                  base.set(key, value);
                }
              } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value);
              } else {
                base.set(key, value.deepCopy());
              }
            });
  }

  private static List<Object> relativePath(JsonMappingException e) {
    final List<Object> relative = new ArrayList<>();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        relative.add(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        relative.add(ref.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException) {
      final String key = ((UnrecognizedPropertyException) e).getPropertyName();
      if (relative.isEmpty() || !key.equals(relative.get(relative.size() - 1))) {
        relative.add(key);
      }
    }
    return relative;
  }

  private ConfigError translate(
      JsonMappingException e,
      YamlPath base,
      List<Object> relative,
      JsonNode merged,
      LineIndex lines) {
    final YamlPath path = base.resolve(new YamlPath(relative));
    final int line = lines.lineOf(path);
    final boolean sensitive = SecretPaths.isSensitive(path);
    if (e instanceof UnrecognizedPropertyException) {
      final UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
      return new ConfigError(path.toString(), line, unknownKey(knownKeys(u)));
    }
    if (e instanceof InvalidFormatException) {
      final InvalidFormatException f = (InvalidFormatException) e;
      final Class<?> target = f.getTargetType();
      final String shown =
          sensitive || target == Secret.class
              ? "[REDACTED]"
              : shorten(String.valueOf(f.getValue()));
      if (target == ComponentId.class) {
        return new ConfigError(path.toString(), line, idProblem(String.valueOf(f.getValue())));
      }
      return new ConfigError(
          path.toString(), line, "expected " + expected(target) + ", got '" + shown + "'");
    }
    if (e.getCause() instanceof InputCoercionException) {
      final Class<?> target = ((InputCoercionException) e.getCause()).getTargetType();
      return new ConfigError(
          path.toString(),
          line,
          "expected "
              + expected(target)
              + range(target)
              + ", got "
              + describe(at(merged, relative), sensitive));
    }
    if (e instanceof ValueInstantiationException) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      final String detail =
          sensitive || cause.getMessage() == null
              ? cause.getClass().getSimpleName()
              : firstLine(cause.getMessage());
      return new ConfigError(path.toString(), line, "invalid value (" + detail + ")");
    }
    if (e instanceof InvalidDefinitionException) {
      // A bug in the config record, not in the YAML; still reported, never thrown.
      return new ConfigError(
          path.toString(),
          line,
          "cannot bind "
              + ((InvalidDefinitionException) e).getType()
              + " (a defect in the component, not in this config): "
              + firstLine(e.getOriginalMessage()));
    }
    if (e instanceof MismatchedInputException) {
      final Class<?> target = ((MismatchedInputException) e).getTargetType();
      final JsonNode actual = at(merged, relative);
      return new ConfigError(
          path.toString(),
          line,
          "expected "
              + expected(target)
              + ", got "
              + describe(actual, sensitive || target == Secret.class));
    }
    return new ConfigError(
        path.toString(),
        line,
        sensitive ? "invalid value" : "invalid value (" + firstLine(e.getOriginalMessage()) + ")");
  }

  private static String range(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }
    if (type == long.class || type == Long.class) {
      return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }
    if (type == short.class || type == Short.class) {
      return " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
    }
    if (type == byte.class || type == Byte.class) {
      return " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
    }
    return "";
  }

  /** The path of the first null inside a list or map at or below {@code relative}; null if none. */
  private static List<Object> findNullItem(JsonNode root, List<Object> relative) {
    final JsonNode node = at(root, relative);
    if (node == null) {
      return null;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        final List<Object> item = new ArrayList<>(relative);
        item.add(i);
        if (node.get(i).isNull()) {
          return item;
        }
        final List<Object> deeper = findNullItem(root, item);
        if (deeper != null) {
          return deeper;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        final List<Object> child = new ArrayList<>(relative);
        child.add(e.getKey());
        if (e.getValue().isNull()) {
          return child;
        }
        final List<Object> deeper = findNullItem(root, child);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }

  private static String unknownKey(List<String> known) {
    return known.isEmpty()
        ? "unknown key (this block takes no settings)"
        : "unknown key (expected one of: " + String.join(", ", known) + ")";
  }

  private static List<String> knownKeys(UnrecognizedPropertyException u) {
    final Class<?> owner = u.getReferringClass();
    if (owner != null && owner.isRecord()) {
      return Embedding.keys(owner).stream().sorted().collect(Collectors.toList());
    }
    final Collection<Object> ids = u.getKnownPropertyIds();
    return ids == null
        ? List.of()
        : ids.stream().map(String::valueOf).sorted().collect(Collectors.toList());
  }

  private static String idProblem(String id) {
    try {
      ComponentId.parse(id);
      return "invalid component id '" + id + "'";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** What a value of {@code type} looks like, in the user's words. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "a valid value";
    }
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class
        || type == byte.class
        || type == Byte.class
        || type == BigInteger.class) {
      return "an integer";
    }
    if (type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class
        || type == BigDecimal.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == Secret.class || CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Duration.class) {
      return Durations.EXPECTED;
    }
    if (type == ByteSize.class) {
      return ByteSize.EXPECTED;
    }
    if (type == ComponentId.class) {
      return "a component id (type or type/name)";
    }
    if (type == URI.class || type == URL.class) {
      return "a URL";
    }
    if (type.isEnum()) {
      return "one of: "
          + Arrays.stream(type.getEnumConstants())
              .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  /** How a value looks in a message; scalars of sensitive keys are masked. */
  static String describe(JsonNode node, boolean sensitive) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return "'" + (sensitive ? "[REDACTED]" : shorten(node.asText())) + "'";
  }

  private static JsonNode at(JsonNode root, List<Object> relative) {
    JsonNode node = root;
    for (Object segment : relative) {
      if (node == null) {
        return null;
      }
      node = segment instanceof Integer ? node.get((Integer) segment) : node.get((String) segment);
    }
    return node;
  }

  /**
   * Drops the user's value at {@code relative} so the next attempt can find further problems. A
   * list is dropped whole: removing one item would shift the indexes of later ones.
   *
   * @return false when the value is not the user's (it came from the defaults), so retrying is
   *     futile
   */
  private static boolean remove(ObjectNode overlay, List<Object> relative) {
    ObjectNode owner = null;
    String key = null;
    JsonNode node = overlay;
    for (Object segment : relative) {
      if (!(segment instanceof String)
          || !(node instanceof ObjectNode)
          || !node.has((String) segment)) {
        break;
      }
      owner = (ObjectNode) node;
      key = (String) segment;
      node = node.get(key);
    }
    if (owner == null) {
      return false;
    }
    owner.remove(key);
    return true;
  }

  private static String shorten(String text) {
    final String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= MAX_SHOWN_VALUE
        ? oneLine
        : oneLine.substring(0, MAX_SHOWN_VALUE) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    final int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** One binding problem, and the user value to drop before the next attempt. */
  private record Problem(List<Object> relative, ConfigError error) {}

  /**
   * The bound value and the problems found.
   *
   * @param value the record; when there are errors, the best effort with the offending values
   *     replaced by their defaults (useful for further checks, never for running), or null
   * @param errors every problem found in the block
   */
  public record Result<T>(T value, List<ConfigError> errors) {
    public Result {
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }
}
