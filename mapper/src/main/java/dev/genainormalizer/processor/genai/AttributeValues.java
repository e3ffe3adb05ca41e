package dev.genainormalizer.processor.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reading OTLP attribute values whatever their encoding, and writing them in one. */
final class AttributeValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private AttributeValues() {}

  /** An integer from {@code intValue}, a whole {@code doubleValue} (rounded) or a numeric string. */
  static OptionalLong asLong(AnyValue v) {
    switch (v.getValueCase()) {
      case INT_VALUE:
        return OptionalLong.of(v.getIntValue());
      case DOUBLE_VALUE:
        return fromDouble(v.getDoubleValue());
      case STRING_VALUE:
        final String s = v.getStringValue().strip();
        if (s.isEmpty()) {
          return OptionalLong.empty();
        }
        try {
          return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
          try {
            return fromDouble(new BigDecimal(s).doubleValue());
          } catch (NumberFormatException e2) {
            return OptionalLong.empty();
          }
        }
      default:
        return OptionalLong.empty();
    }
  }

  private static OptionalLong fromDouble(double d) {
    return Double.isFinite(d) ? OptionalLong.of(Math.round(d)) : OptionalLong.empty();
  }

  /** A non-empty scalar as text; empty for empty strings, arrays, maps and unset values. */
  static Optional<String> asText(AnyValue v) {
    final String s =
        switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue();
          case INT_VALUE -> Long.toString(v.getIntValue());
          case DOUBLE_VALUE -> BigDecimal.valueOf(v.getDoubleValue()).stripTrailingZeros().toPlainString();
          case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
          default -> "";
        };
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /**
   * A string list from an {@code arrayValue}, a JSON array in a string, or a plain string (one
   * element). Empty when the value is none of these.
   */
  static Optional<List<String>> asStringList(AnyValue v) {
    switch (v.getValueCase()) {
      case ARRAY_VALUE: {
        final List<String> out = new ArrayList<>();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          asText(e).ifPresent(out::add);
        }
        return Optional.of(out);
      }
      case STRING_VALUE: {
        final String s = v.getStringValue().strip();
        if (s.startsWith("[")) {
          final Optional<JsonNode> json = Json.read(s);
          if (json.isEmpty() || !json.get().isArray()) {
            return Optional.empty();
          }
          final List<String> out = new ArrayList<>();
          for (JsonNode e : json.get()) {
            if (e.isValueNode() && !e.isNull()) {
              out.add(e.asText());
            }
          }
          return Optional.of(out);
        }
        return Optional.of(s.isEmpty() ? List.of() : List.of(s));
      }
      default:
        return Optional.empty();
    }
  }

  /** A structured value as JSON: arrays as arrays, kvlists as objects, bytes as base64. */
  static JsonNode toJson(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> NODES.textNode(v.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
      case INT_VALUE -> NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
      case BYTES_VALUE -> NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        final ArrayNode array = NODES.arrayNode();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          array.add(toJson(e));
        }
        yield array;
      }
      case KVLIST_VALUE -> {
        final ObjectNode obj = NODES.objectNode();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          obj.set(kv.getKey(), toJson(kv.getValue()));
        }
        yield obj;
      }
      default -> NODES.nullNode();
    };
  }

  static AnyValue ofString(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue ofInt(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static AnyValue ofDouble(double d) {
    return AnyValue.newBuilder().setDoubleValue(d).build();
  }

  static AnyValue ofStringArray(List<String> values) {
    final ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String s : values) {
      array.addValues(ofString(s));
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }
}
