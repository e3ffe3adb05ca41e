package dev.genainormalizer.app;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/** Reads OTLP attribute values in whatever encoding senders use (Kong writes numbers as doubles). */
final class SpanAttributes {
  private SpanAttributes() {}

  static AnyValue find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  /** The value as a string, or "" when absent or not a scalar. */
  static String string(List<KeyValue> attributes, String key) {
    final AnyValue v = find(attributes, key);
    if (v == null) {
      return "";
    }
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      default -> "";
    };
  }

  /** The value as a number, or NaN when absent or not numeric. */
  static double number(List<KeyValue> attributes, String key) {
    final AnyValue v = find(attributes, key);
    if (v == null) {
      return Double.NaN;
    }
    return switch (v.getValueCase()) {
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case STRING_VALUE -> {
        try {
          yield Double.parseDouble(v.getStringValue().trim());
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
      default -> Double.NaN;
    };
  }

  /** A short human-readable rendering of any value, for the status page. */
  static String display(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BYTES_VALUE -> "<" + v.getBytesValue().size() + " bytes>";
      case ARRAY_VALUE -> {
        final StringBuilder b = new StringBuilder("[");
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          if (b.length() > 1) {
            b.append(", ");
          }
          b.append(display(e));
        }
        yield b.append(']').toString();
      }
      case KVLIST_VALUE -> {
        final StringBuilder b = new StringBuilder("{");
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          if (b.length() > 1) {
            b.append(", ");
          }
          b.append(kv.getKey()).append('=').append(display(kv.getValue()));
        }
        yield b.append('}').toString();
      }
      default -> "";
    };
  }
}
