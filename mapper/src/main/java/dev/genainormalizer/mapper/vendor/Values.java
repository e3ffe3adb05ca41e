package dev.genainormalizer.mapper.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Reading and writing OTLP {@link AnyValue}s, tolerant of how senders encode numbers. */
final class Values {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Values() {}

  static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  static AnyValue decimal(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  static AnyValue strings(List<String> values) {
    final ArrayValue.Builder array = ArrayValue.newBuilder();
    values.forEach(v -> array.addValues(string(v)));
    return AnyValue.newBuilder().setArrayValue(array).build();
  }

  /** The text of a string value; null for any other type. */
  static String text(AnyValue v) {
    return v != null && v.hasStringValue() ? v.getStringValue() : null;
  }

  /** An integer from an int, an integral double or a numeric string (Kong sends doubles). */
  static OptionalLong asLong(AnyValue v) {
    if (v == null) {
      return OptionalLong.empty();
    }
    switch (v.getValueCase()) {
      case INT_VALUE:
        return OptionalLong.of(v.getIntValue());
      case DOUBLE_VALUE:
        {
          final double d = v.getDoubleValue();
          return d == Math.rint(d) && !Double.isInfinite(d)
              ? OptionalLong.of((long) d)
              : OptionalLong.empty();
        }
      case STRING_VALUE:
        try {
          return OptionalLong.of(Long.parseLong(v.getStringValue().trim()));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      default:
        return OptionalLong.empty();
    }
  }

  static OptionalDouble asDouble(AnyValue v) {
    if (v == null) {
      return OptionalDouble.empty();
    }
    switch (v.getValueCase()) {
      case INT_VALUE:
        return OptionalDouble.of(v.getIntValue());
      case DOUBLE_VALUE:
        return OptionalDouble.of(v.getDoubleValue());
      case STRING_VALUE:
        try {
          return OptionalDouble.of(Double.parseDouble(v.getStringValue().trim()));
        } catch (NumberFormatException e) {
          return OptionalDouble.empty();
        }
      default:
        return OptionalDouble.empty();
    }
  }

  /** The strings of an array value, or a one-element list for a plain string. */
  static List<String> stringList(AnyValue v) {
    final List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.hasArrayValue()) {
      for (AnyValue item : v.getArrayValue().getValuesList()) {
        if (item.hasStringValue()) {
          out.add(item.getStringValue());
        }
      }
    } else if (v.hasStringValue() && !v.getStringValue().isEmpty()) {
      out.add(v.getStringValue());
    }
    return out;
  }

  /** An AnyValue as the JSON it stands for (kvlist as an object, bytes as base64). */
  static JsonNode toJson(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return NODES.textNode(v.getStringValue());
      case BOOL_VALUE:
        return NODES.booleanNode(v.getBoolValue());
      case INT_VALUE:
        return NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE:
        return NODES.numberNode(v.getDoubleValue());
      case BYTES_VALUE:
        return NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE:
        {
          final ArrayNode array = NODES.arrayNode();
          v.getArrayValue().getValuesList().forEach(item -> array.add(toJson(item)));
          return array;
        }
      case KVLIST_VALUE:
        {
          final ObjectNode object = NODES.objectNode();
          for (KeyValue kv : v.getKvlistValue().getValuesList()) {
            object.set(kv.getKey(), toJson(kv.getValue()));
          }
          return object;
        }
      default:
        return NODES.nullNode();
    }
  }
}
