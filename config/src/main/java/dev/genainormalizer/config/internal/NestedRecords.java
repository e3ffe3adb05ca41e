package dev.genainormalizer.config.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Finds and replaces the values of one type nested in a bound config record, through record
 * components only: how a setting shared by many component types (an exporter's {@code
 * sending_queue}) is read and changed without each type's record knowing about it.
 *
 * <p>Internal API: may change without notice.
 */
public final class NestedRecords {
  private static final int MAX_DEPTH = 16;

  private NestedRecords() {}

  /**
   * Every {@code type} value under {@code root}, by its YAML path relative to {@code root}, in
   * component order.
   */
  public static <T> Map<YamlPath, T> find(Record root, Class<T> type) {
    final Map<YamlPath, T> found = new LinkedHashMap<>();
    find(root, type, YamlPath.ROOT, found, 0);
    return found;
  }

  private static <T> void find(
      Object value, Class<T> type, YamlPath path, Map<YamlPath, T> found, int depth) {
    if (depth > MAX_DEPTH || !(value instanceof Record)) {
      return;
    }
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      final Object child = RecordTrees.read(component, value);
      final YamlPath childPath = path.key(RecordTrees.yamlKey(component));
      if (type.isInstance(child)) {
        found.put(childPath, type.cast(child));
      } else {
        find(child, type, childPath, found, depth + 1);
      }
    }
  }

  /**
   * {@code root} with every nested {@code type} value replaced by {@code change} of it; records on
   * the way are rebuilt through their canonical constructors, the rest is shared. {@code root}
   * itself when it holds no such value.
   *
   * @throws IllegalStateException when a record on the way cannot be rebuilt
   */
  public static <R extends Record, T> R replace(R root, Class<T> type, UnaryOperator<T> change) {
    @SuppressWarnings("unchecked")
    final R replaced = (R) replace((Object) root, type, change, 0);
    return replaced;
  }

  private static <T> Object replace(
      Object value, Class<T> type, UnaryOperator<T> change, int depth) {
    if (type.isInstance(value)) {
      return change.apply(type.cast(value));
    }
    if (depth > MAX_DEPTH || !(value instanceof Record)) {
      return value;
    }
    final RecordComponent[] components = value.getClass().getRecordComponents();
    final Object[] args = new Object[components.length];
    boolean changed = false;
    for (int i = 0; i < components.length; i++) {
      final Object child = RecordTrees.read(components[i], value);
      args[i] = replace(child, type, change, depth + 1);
      changed |= args[i] != child;
    }
    return changed ? construct(value.getClass(), components, args) : value;
  }

  private static Object construct(
      Class<?> recordType, RecordComponent[] components, Object[] args) {
    final Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      final Constructor<?> canonical = recordType.getDeclaredConstructor(types);
      canonical.trySetAccessible();
      return canonical.newInstance(args);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot rebuild " + recordType.getName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(recordType.getName() + "'s constructor failed", e.getCause());
    }
  }
}
