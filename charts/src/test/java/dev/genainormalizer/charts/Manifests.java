package dev.genainormalizer.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The objects of one {@code helm template} output, parsed as YAML. */
final class Manifests {
  final List<Map<String, Object>> objects;

  private Manifests(List<Map<String, Object>> objects) {
    this.objects = List.copyOf(objects);
  }

  @SuppressWarnings("unchecked")
  static Manifests parse(String rendered) {
    final List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : ChartFixture.yaml().loadAll(rendered)) {
      if (doc != null) {
        objects.add((Map<String, Object>) doc);
      }
    }
    return new Manifests(objects);
  }

  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /** The one object of this kind; fails the test when there are none or several. */
  Map<String, Object> one(String kind) {
    final List<Map<String, Object>> found = ofKind(kind);
    assertThat(found).as("objects of kind %s in %s", kind, kinds()).hasSize(1);
    return found.get(0);
  }

  Map<String, Object> named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(get(o, "metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + kinds()));
  }

  List<String> kinds() {
    return objects.stream().map(o -> String.valueOf(o.get("kind"))).toList();
  }

  /** True for the two-tier router's objects (named {@code <fullname>-router}). */
  static boolean isRouter(Map<String, Object> o) {
    return String.valueOf(get(o, "metadata.name")).endsWith("-router");
  }

  /** The normalizer workload (Deployment or StatefulSet; in two-tier mode not the router's). */
  Map<String, Object> workload() {
    final List<Map<String, Object>> found =
        objects.stream()
            .filter(o -> "Deployment".equals(o.get("kind")) || "StatefulSet".equals(o.get("kind")))
            .filter(o -> !isRouter(o))
            .toList();
    assertThat(found).as("workloads in %s", kinds()).hasSize(1);
    return found.get(0);
  }

  Map<String, Object> podSpec() {
    return map(workload(), "spec.template.spec");
  }

  Map<String, Object> container() {
    final List<Map<String, Object>> containers = list(podSpec(), "containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /**
   * The service's config file as the ConfigMap carries it (the normalizer tier's in two-tier mode).
   */
  String configText() {
    final List<Map<String, Object>> found =
        ofKind("ConfigMap").stream().filter(o -> !isRouter(o)).toList();
    assertThat(found).as("normalizer ConfigMaps in %s", kinds()).hasSize(1);
    return (String) get(found.get(0), "data.[config.yaml]");
  }

  /** A value at a dotted path; a segment may itself be a map key containing dots via "[key]". */
  static Object get(Map<String, Object> root, String path) {
    Object current = root;
    for (String segment : split(path)) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(segment);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> root, String path) {
    final Object value = get(root, path);
    assertThat(value).as(path).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> list(Map<String, Object> root, String path) {
    final Object value = get(root, path);
    assertThat(value).as(path).isInstanceOf(List.class);
    return (List<T>) value;
  }

  /** The element of a list of maps whose "name" is the given one. */
  static Map<String, Object> byName(List<Map<String, Object>> items, String name) {
    return items.stream()
        .filter(i -> Objects.equals(name, i.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no item named " + name + " in " + items));
  }

  private static List<String> split(String path) {
    final List<String> segments = new ArrayList<>();
    int i = 0;
    while (i < path.length()) {
      if (path.charAt(i) == '[') {
        final int close = path.indexOf(']', i);
        segments.add(path.substring(i + 1, close));
        i = close + 1;
        if (i < path.length() && path.charAt(i) == '.') {
          i++;
        }
      } else {
        int dot = path.indexOf('.', i);
        int bracket = path.indexOf('[', i);
        int end = dot < 0 ? path.length() : dot;
        if (bracket >= 0 && bracket < end) {
          end = bracket;
        }
        segments.add(path.substring(i, end));
        i = end < path.length() && path.charAt(end) == '.' ? end + 1 : end;
      }
    }
    return segments;
  }
}
