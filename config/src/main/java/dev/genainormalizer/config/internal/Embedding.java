package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.config.Squash;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Translates between the flat YAML of a record with {@link Squash} components and the nested tree
 * Jackson binds: the user writes {@code timeout: 5s} beside the component's own keys, Jackson gets
 * it under the embedded record, and a binding error's path loses the embedded record's name again.
 * Walks records through their components, and maps and lists through their generic type.
 *
 * <p>Internal API: may change without notice.
 */
public final class Embedding {
  private Embedding() {}

  public static boolean isSquashed(RecordComponent component) {
    return component.isAnnotationPresent(Squash.class);
  }

  /**
   * The YAML keys of a record as the user writes them: embedded records' keys in place of theirs.
   */
  public static List<String> keys(Class<?> recordType) {
    final List<String> keys = new ArrayList<>();
    for (RecordComponent c : recordType.getRecordComponents()) {
      if (isSquashed(c)) {
        keys.addAll(keys(c.getType()));
      } else {
        keys.add(RecordTrees.yamlKey(c));
      }
    }
    return keys;
  }

  /** A copy of the flat tree with each embedded record's keys moved under its component. */
  public static JsonNode nest(JsonNode flat, Type type) {
    return nestInPlace(flat.deepCopy(), type);
  }

  private static JsonNode nestInPlace(JsonNode node, Type type) {
    final Class<?> raw = raw(type);
    if (raw == null) {
      return node;
    }
    if (node instanceof ObjectNode object && raw.isRecord()) {
      for (RecordComponent c : raw.getRecordComponents()) {
        final String key = RecordTrees.yamlKey(c);
        if (isSquashed(c)) {
          final ObjectNode embedded = JsonNodeFactory.instance.objectNode();
          for (String k : keys(c.getType())) {
            if (object.has(k)) {
              embedded.set(k, object.remove(k));
            }
          }
          object.set(key, nestInPlace(embedded, c.getGenericType()));
        } else if (object.has(key)) {
          object.set(key, nestInPlace(object.get(key), c.getGenericType()));
        }
      }
    } else if (node instanceof ObjectNode object && Map.class.isAssignableFrom(raw)) {
      final Type value = argument(type, 1);
      final List<String> names = new ArrayList<>();
      object.properties().forEach(e -> names.add(e.getKey()));
      for (String k : names) {
        object.set(k, nestInPlace(object.get(k), value));
      }
    } else if (node instanceof ArrayNode array && Collection.class.isAssignableFrom(raw)) {
      final Type item = argument(type, 0);
      for (int i = 0; i < array.size(); i++) {
        array.set(i, nestInPlace(array.get(i), item));
      }
    }
    return node;
  }

  /** A path Jackson reported on the nested tree, in the user's flat terms. */
  public static List<Object> flatten(List<Object> nestedPath, Type type) {
    final List<Object> flat = new ArrayList<>();
    Type current = type;
    for (Object segment : nestedPath) {
      final Class<?> raw = raw(current);
      final RecordComponent component =
          raw != null && raw.isRecord() && segment instanceof String key
              ? component(raw, key)
              : null;
      if (component == null || !isSquashed(component)) {
        flat.add(segment);
      }
      current =
          component != null
              ? component.getGenericType()
              : raw != null && Map.class.isAssignableFrom(raw)
                  ? argument(current, 1)
                  : raw != null && Collection.class.isAssignableFrom(raw)
                      ? argument(current, 0)
                      : null;
    }
    return flat;
  }

  /**
   * Keys the user wrote that are the name of a squashed component: they are not YAML keys, and
   * nesting would overwrite them unseen, so the binder reports them as unknown.
   *
   * @return the flat path of each, with the record type whose block it is in
   */
  public static List<Misplaced> misplaced(JsonNode flat, Type type) {
    final List<Misplaced> found = new ArrayList<>();
    collectMisplaced(flat, type, new ArrayList<>(), found);
    return found;
  }

  private static void collectMisplaced(
      JsonNode node, Type type, List<Object> path, List<Misplaced> found) {
    final Class<?> raw = raw(type);
    if (raw == null || node == null) {
      return;
    }
    if (node.isObject() && raw.isRecord()) {
      collectInBlock(node, raw, raw, path, found);
    } else if (node.isObject() && Map.class.isAssignableFrom(raw)) {
      final Type value = argument(type, 1);
      node.properties()
          .forEach(e -> collectMisplaced(e.getValue(), value, append(path, e.getKey()), found));
    } else if (node.isArray() && Collection.class.isAssignableFrom(raw)) {
      for (int i = 0; i < node.size(); i++) {
        collectMisplaced(node.get(i), argument(type, 0), append(path, i), found);
      }
    }
  }

  /** {@code record}'s components read from {@code node}, the block of {@code owner}. */
  private static void collectInBlock(
      JsonNode node, Class<?> owner, Class<?> record, List<Object> path, List<Misplaced> found) {
    for (RecordComponent c : record.getRecordComponents()) {
      final String key = RecordTrees.yamlKey(c);
      if (isSquashed(c)) {
        if (node.has(key)) {
          found.add(new Misplaced(append(path, key), owner));
        }
        collectInBlock(node, owner, c.getType(), path, found);
      } else if (node.has(key)) {
        collectMisplaced(node.get(key), c.getGenericType(), append(path, key), found);
      }
    }
  }

  /** A user key named like a squashed component, at {@code path} in the block of {@code owner}. */
  public record Misplaced(List<Object> path, Class<?> owner) {}

  private static List<Object> append(List<Object> path, Object segment) {
    final List<Object> longer = new ArrayList<>(path);
    longer.add(segment);
    return longer;
  }

  private static RecordComponent component(Class<?> record, String key) {
    for (RecordComponent c : record.getRecordComponents()) {
      if (RecordTrees.yamlKey(c).equals(key)) {
        return c;
      }
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    return null;
  }
}
