package dev.genainormalizer.exporter.profile;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.semconv.GenAiKind;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * One span while a profile maps it: its attributes as an ordered map (existing keys keep their
 * place, new keys go last), what kind of span it is, and the facts of its trace. Built from an
 * immutable {@link Span}, so mapping never touches the caller's request.
 */
final class SpanDraft {
  private final Span original;
  private final TraceFacts trace;
  private final Map<String, AnyValue> attrs = new LinkedHashMap<>();
  private final GenAiKind kind;
  private boolean rerooted;

  SpanDraft(Span original, TraceFacts trace) {
    this.original = original;
    this.trace = trace;
    for (KeyValue kv : original.getAttributesList()) {
      attrs.put(kv.getKey(), kv.getValue());
    }
    this.kind = GenAiKind.of(attrs);
  }

  GenAiKind kind() {
    return kind;
  }

  TraceFacts trace() {
    return trace;
  }

  boolean isError() {
    return original.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
  }

  /** True if the span names a parent that is not in this request. */
  boolean isOrphan() {
    final ByteString parent = original.getParentSpanId();
    return !rerooted && !parent.isEmpty() && !trace.contains(parent);
  }

  void reroot() {
    rerooted = true;
  }

  boolean has(String key) {
    return attrs.containsKey(key);
  }

  AnyValue get(String key) {
    return attrs.get(key);
  }

  /** The string value of a key; null if absent or not a string. */
  String text(String key) {
    return AnyValues.string(attrs.get(key));
  }

  OptionalLong integer(String key) {
    return AnyValues.asLong(attrs.get(key));
  }

  List<String> strings(String key) {
    return new java.util.ArrayList<>(AnyValues.asStringList(attrs.get(key)).orElse(List.of()));
  }

  Map<String, AnyValue> attributes() {
    return attrs;
  }

  void put(String key, AnyValue value) {
    attrs.put(key, value);
  }

  void putString(String key, String value) {
    if (value != null) {
      attrs.put(key, AnyValues.ofString(value));
    }
  }

  void putInteger(String key, OptionalLong value) {
    value.ifPresent(v -> attrs.put(key, AnyValues.ofLong(v)));
  }

  /** Sets a string only where the sender did not: what the span says wins over derived values. */
  void putStringIfAbsent(String key, String value) {
    if (value != null && !attrs.containsKey(key)) {
      attrs.put(key, AnyValues.ofString(value));
    }
  }

  void remove(String key) {
    attrs.remove(key);
  }

  void removeIf(Predicate<String> key) {
    attrs.keySet().removeIf(key);
  }

  Span build(Predicate<String> dropKey) {
    final Span.Builder b = original.toBuilder().clearAttributes();
    if (rerooted) {
      b.clearParentSpanId();
    }
    attrs.forEach(
        (k, v) -> {
          if (!dropKey.test(k)) {
            b.addAttributes(KeyValue.newBuilder().setKey(k).setValue(v));
          }
        });
    if (b.getEventsCount() > 0) {
      for (int i = 0; i < b.getEventsCount(); i++) {
        final Span.Event e = b.getEvents(i);
        if (e.getAttributesList().stream().anyMatch(kv -> dropKey.test(kv.getKey()))) {
          final Span.Event.Builder eb = e.toBuilder().clearAttributes();
          e.getAttributesList().stream()
              .filter(kv -> !dropKey.test(kv.getKey()))
              .forEach(eb::addAttributes);
          b.setEvents(i, eb);
        }
      }
    }
    return b.build();
  }
}
