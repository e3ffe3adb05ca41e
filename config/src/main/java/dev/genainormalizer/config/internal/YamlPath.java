package dev.genainormalizer.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A location in the YAML tree as segments: a {@link String} is a mapping key, an {@link Integer} a
 * list index. Kept as segments (not a dotted string) because keys such as component ids or header
 * names may themselves contain dots.
 *
 * <p>Internal API: may change without notice.
 */
public record YamlPath(List<Object> segments) {
  public static final YamlPath ROOT = new YamlPath(List.of());

  public YamlPath {
    segments = List.copyOf(segments);
  }

  public YamlPath key(String key) {
    return append(Objects.requireNonNull(key, "key"));
  }

  public YamlPath index(int index) {
    return append(index);
  }

  /** This path followed by all segments of {@code relative}. */
  public YamlPath resolve(YamlPath relative) {
    final List<Object> all = new ArrayList<>(segments);
    all.addAll(relative.segments);
    return new YamlPath(all);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  public YamlPath parent() {
    if (segments.isEmpty()) {
      return this;
    }
    return new YamlPath(segments.subList(0, segments.size() - 1));
  }

  public boolean startsWith(YamlPath prefix) {
    return segments.size() >= prefix.segments.size()
        && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
  }

  /** Renders as in error messages: {@code service.pipelines.traces.exporters[1]}. */
  @Override
  public String toString() {
    final StringBuilder sb = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer) {
        sb.append('[').append(segment).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(segment);
      }
    }
    return sb.toString();
  }

  private YamlPath append(Object segment) {
    final List<Object> all = new ArrayList<>(segments.size() + 1);
    all.addAll(segments);
    all.add(segment);
    return new YamlPath(all);
  }
}
