package dev.genainormalizer.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** Component factories by kind and type name; built once, then read-only. */
public final class ComponentRegistry {
  private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories;

  private ComponentRegistry(Map<ComponentKind, Map<String, ComponentFactory<?>>> factories) {
    this.factories = factories;
  }

  /** A registry of the given factories; two factories of the same kind and type are an error. */
  public static ComponentRegistry of(Collection<? extends ComponentFactory<?>> all) {
    final Map<ComponentKind, Map<String, ComponentFactory<?>>> byKind =
        new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      byKind.put(kind, new TreeMap<>());
    }
    for (ComponentFactory<?> f : all) {
      final ComponentFactory<?> previous = byKind.get(f.kind()).putIfAbsent(f.type(), f);
      if (previous != null) {
        throw new IllegalStateException(
            "two "
                + f.kind().section()
                + " factories for type '"
                + f.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
    byKind.replaceAll((k, v) -> Map.copyOf(v));
    return new ComponentRegistry(byKind);
  }

  /**
   * Every factory registered in {@code
   * META-INF/services/dev.genainormalizer.config.ComponentFactory}.
   */
  @SuppressWarnings("rawtypes")
  public static ComponentRegistry loadInstalled() {
    final List<ComponentFactory<?>> found = new ArrayList<>();
    for (ComponentFactory f : ServiceLoader.load(ComponentFactory.class)) {
      found.add(f);
    }
    return of(found);
  }

  public Optional<ComponentFactory<?>> find(ComponentKind kind, String type) {
    return Optional.ofNullable(factories.get(kind).get(type));
  }

  /** The registered type names of a kind, sorted, for "expected one of" messages. */
  public Set<String> types(ComponentKind kind) {
    return new java.util.TreeSet<>(factories.get(kind).keySet());
  }
}
