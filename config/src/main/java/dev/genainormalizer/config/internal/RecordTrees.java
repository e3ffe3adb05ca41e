package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.Secret;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a config value (usually a factory's default record) into the tree the user's YAML is
 * overlaid on. Records are walked by their components, not by Jackson's getter discovery, so the
 * tree holds exactly the keys the record can be bound from.
 *
 * <p>Internal API: may change without notice.
 */
public final class RecordTrees {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private RecordTrees() {}

  /** The YAML key of a record component, e.g. {@code max_request_body_size}. */
  public static String yamlKey(RecordComponent component) {
    // A key that is a Java keyword (`default`) is named with @JsonProperty on the component.
    final com.fasterxml.jackson.annotation.JsonProperty explicit =
        component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    if (explicit != null && !explicit.value().isEmpty()) {
      return explicit.value();
    }
    return SNAKE_CASE.translate(component.getName());
  }

  public static JsonNode toTree(Object value, ObjectMapper mapper) {
    // The value types first: they are records too, but are written as one string.
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof Duration) {
      return TextNode.valueOf(Durations.format((Duration) value));
    }
    if (value instanceof Secret) {
      return TextNode.valueOf(((Secret) value).value());
    }
    if (value instanceof ComponentId || value instanceof ByteSize) {
      return TextNode.valueOf(value.toString());
    }
    if (value instanceof Record) {
      checkNoClash(value.getClass());
      final ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        final Object componentValue = read(component, value);
        // A null component is a default that depends on its siblings (sending_queue.on_full):
        // left out, so that a user's block overlaid on the defaults leaves it to be worked out.
        if (componentValue == null) {
          continue;
        }
        final JsonNode tree = toTree(componentValue, mapper);
        if (Embedding.isSquashed(component)) {
          tree.properties().forEach(e -> object.set(e.getKey(), e.getValue()));
        } else {
          object.set(yamlKey(component), tree);
        }
      }
      return object;
    }
    if (value instanceof Map) {
      final ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        object.set(String.valueOf(e.getKey()), toTree(e.getValue(), mapper));
      }
      return object;
    }
    if (value instanceof Collection) {
      final ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (Object item : (Collection<?>) value) {
        array.add(toTree(item, mapper));
      }
      return array;
    }
    if (value.getClass().isArray() && !(value instanceof byte[])) {
      final ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < Array.getLength(value); i++) {
        array.add(toTree(Array.get(value, i), mapper));
      }
      return array;
    }
    if (value instanceof Optional) {
      return toTree(((Optional<?>) value).orElse(null), mapper);
    }
    return mapper.valueToTree(value);
  }

  /** Embedded records' keys sit beside their siblings: a key twice would make one unreachable. */
  private static void checkNoClash(Class<?> recordType) {
    final List<String> keys = Embedding.keys(recordType);
    final Set<String> seen = new HashSet<>();
    for (String key : keys) {
      if (!seen.add(key)) {
        throw new IllegalStateException(
            recordType.getSimpleName()
                + " has the key "
                + key
                + " twice, through a @Squash component");
      }
    }
  }

  /** Reads a record component, also from records declared package-private in another package. */
  public static Object read(RecordComponent component, Object record) {
    final Method accessor = component.getAccessor();
    try {
      accessor.trySetAccessible();
      return accessor.invoke(record);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot read " + record.getClass().getName() + "." + component.getName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          record.getClass().getName() + "." + component.getName() + "() failed", e.getCause());
    }
  }
}
