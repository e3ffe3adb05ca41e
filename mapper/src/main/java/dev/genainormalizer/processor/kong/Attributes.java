package dev.genainormalizer.processor.kong;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/** Reads span attributes the way Kong encodes them (numbers as int, double or numeric string). */
final class Attributes {
  private Attributes() {}

  static AnyValue get(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  static boolean has(Span.Builder span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** A non-empty string value, else null. */
  static String string(List<KeyValue> attributes, String key) {
    final AnyValue value = get(attributes, key);
    if (value == null || value.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
      return null;
    }
    final String s = value.getStringValue();
    return s.isEmpty() ? null : s;
  }

  /** An integral value from an int, a finite double or a numeric string, else null. */
  static Long number(List<KeyValue> attributes, String key) {
    final AnyValue value = get(attributes, key);
    if (value == null) {
      return null;
    }
    switch (value.getValueCase()) {
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        return finite(value.getDoubleValue());
      case STRING_VALUE:
        final String s = value.getStringValue().trim();
        try {
          return Long.parseLong(s);
        } catch (NumberFormatException e) {
          try {
            return finite(Double.parseDouble(s));
          } catch (NumberFormatException e2) {
            return null;
          }
        }
      default:
        return null;
    }
  }

  private static Long finite(double d) {
    return Double.isFinite(d) ? Long.valueOf((long) d) : null;
  }

  static void putIfAbsent(Span.Builder span, String key, String value) {
    if (value != null && !has(span, key)) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)));
    }
  }

  static void putIfAbsent(Span.Builder span, String key, Long value) {
    if (value != null && !has(span, key)) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)));
    }
  }
}
