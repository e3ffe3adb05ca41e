package dev.genainormalizer.app;

import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a fixed set of keys from an attribute list in one pass, for a reader that wants many keys
 * of every span: one hash lookup per attribute instead of a scan of the list per key. A repeated
 * key gives its first value, as {@link AnyValues#find} does. Immutable; {@link #read} is
 * thread-safe.
 */
final class AttributeReader {
  private final Map<String, Integer> slots = new HashMap<>();

  AttributeReader(List<String> keys) {
    for (String key : keys) {
      if (slots.putIfAbsent(key, slots.size()) != null) {
        throw new IllegalArgumentException("key given twice: " + key);
      }
    }
  }

  Values read(List<KeyValue> attributes) {
    final AnyValue[] values = new AnyValue[slots.size()];
    for (KeyValue kv : attributes) {
      final Integer slot = slots.get(kv.getKey());
      if (slot != null && values[slot] == null) {
        values[slot] = kv.getValue();
      }
    }
    return new Values(values);
  }

  /** The values one list had for the reader's keys. */
  final class Values {
    private final AnyValue[] values;

    private Values(AnyValue[] values) {
      this.values = values;
    }

    /** A scalar as text, "" when absent: the label value of a missing attribute. */
    String text(String key) {
      return AnyValues.scalarText(value(key)).orElse("");
    }

    /** A number, NaN when absent or not numeric. */
    double number(String key) {
      return AnyValues.asDouble(value(key)).orElse(Double.NaN);
    }

    private AnyValue value(String key) {
      final Integer slot = slots.get(key);
      if (slot == null) {
        throw new IllegalArgumentException("not a key of this reader: " + key);
      }
      return values[slot];
    }
  }
}
