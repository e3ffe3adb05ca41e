package dev.genainormalizer.app;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

/** How the status page renders attribute values. */
final class SpanAttributes {
  private SpanAttributes() {}

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
