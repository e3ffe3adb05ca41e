package dev.genainormalizer.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reading OTLP attribute values whatever encoding a sender chose, and writing them in one. Senders
 * disagree on numbers: Kong writes token counts and status codes as doubles, some SDKs as numeric
 * strings; every reader of the project goes through here so that they all agree.
 */
public final class AnyValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  // bounded, so that a hostile attribute cannot make the parser recurse deeply
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(64).build())
                  .build())
          .build();

  private AnyValues() {}

  /** The first value of {@code key}, or null. */
  public static AnyValue find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  public static boolean has(List<KeyValue> attributes, String key) {
    return find(attributes, key) != null;
  }

  /** A non-empty string value, else null (numbers and other types are not text here). */
  public static String string(AnyValue v) {
    return v != null && v.hasStringValue() && !v.getStringValue().isEmpty()
        ? v.getStringValue()
        : null;
  }

  /** {@link #string(AnyValue)} of {@code key}. */
  public static String string(List<KeyValue> attributes, String key) {
    return string(find(attributes, key));
  }

  /** A non-empty scalar as text (numbers in plain notation); empty for structures and unset. */
  public static Optional<String> scalarText(AnyValue v) {
    if (v == null) {
      return Optional.empty();
    }
    final String s =
        switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue();
          case INT_VALUE -> Long.toString(v.getIntValue());
          case DOUBLE_VALUE ->
              Double.isFinite(v.getDoubleValue())
                  ? BigDecimal.valueOf(v.getDoubleValue()).stripTrailingZeros().toPlainString()
                  : Double.toString(v.getDoubleValue());
          case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
          default -> "";
        };
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** {@link #scalarText(AnyValue)} of {@code key}. */
  public static Optional<String> scalarText(List<KeyValue> attributes, String key) {
    return scalarText(find(attributes, key));
  }

  /**
   * An integer from {@code intValue}, a finite {@code doubleValue} (rounded to the nearest) or a
   * numeric string; empty otherwise.
   */
  public static OptionalLong asLong(AnyValue v) {
    if (v == null) {
      return OptionalLong.empty();
    }
    switch (v.getValueCase()) {
      case INT_VALUE:
        return OptionalLong.of(v.getIntValue());
      case DOUBLE_VALUE:
        return rounded(v.getDoubleValue());
      case STRING_VALUE:
        final String s = v.getStringValue().strip();
        if (s.isEmpty()) {
          return OptionalLong.empty();
        }
        try {
          return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
          try {
            return rounded(new BigDecimal(s).doubleValue());
          } catch (NumberFormatException e2) {
            return OptionalLong.empty();
          }
        }
      default:
        return OptionalLong.empty();
    }
  }

  /** {@link #asLong(AnyValue)} of {@code key}. */
  public static OptionalLong asLong(List<KeyValue> attributes, String key) {
    return asLong(find(attributes, key));
  }

  /** {@link #asLong(AnyValue)} of {@code key}, boxed: null when absent or not a number. */
  public static Long longOrNull(List<KeyValue> attributes, String key) {
    final OptionalLong n = asLong(find(attributes, key));
    return n.isPresent() ? n.getAsLong() : null;
  }

  /** A finite number from an int, a double or a numeric string; empty otherwise. */
  public static OptionalDouble asDouble(AnyValue v) {
    if (v == null) {
      return OptionalDouble.empty();
    }
    final double d;
    switch (v.getValueCase()) {
      case INT_VALUE:
        return OptionalDouble.of(v.getIntValue());
      case DOUBLE_VALUE:
        d = v.getDoubleValue();
        break;
      case STRING_VALUE:
        try {
          d = Double.parseDouble(v.getStringValue().strip());
        } catch (NumberFormatException e) {
          return OptionalDouble.empty();
        }
        break;
      default:
        return OptionalDouble.empty();
    }
    return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
  }

  /** {@link #asDouble(AnyValue)} of {@code key}. */
  public static OptionalDouble asDouble(List<KeyValue> attributes, String key) {
    return asDouble(find(attributes, key));
  }

  private static OptionalLong rounded(double d) {
    return Double.isFinite(d) ? OptionalLong.of(Math.round(d)) : OptionalLong.empty();
  }

  /**
   * A string list from an {@code arrayValue} (its scalars as text), a JSON array in a string, or a
   * plain string (one element; none when empty). Empty when the value is none of these.
   */
  public static Optional<List<String>> asStringList(AnyValue v) {
    if (v == null) {
      return Optional.empty();
    }
    switch (v.getValueCase()) {
      case ARRAY_VALUE:
        {
          final List<String> out = new ArrayList<>();
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            scalarText(e).ifPresent(out::add);
          }
          return Optional.of(out);
        }
      case STRING_VALUE:
        {
          final String s = v.getStringValue().strip();
          if (s.startsWith("[")) {
            return jsonStrings(s);
          }
          return Optional.of(s.isEmpty() ? List.of() : List.of(s));
        }
      default:
        return Optional.empty();
    }
  }

  private static Optional<List<String>> jsonStrings(String s) {
    final JsonNode json;
    try {
      json = JSON.readTree(s);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (json == null || !json.isArray()) {
      return Optional.empty();
    }
    final List<String> out = new ArrayList<>();
    for (JsonNode e : json) {
      if (e.isValueNode() && !e.isNull()) {
        out.add(e.asText());
      }
    }
    return Optional.of(out);
  }

  /** A value as the JSON it stands for: arrays as arrays, kvlists as objects, bytes as base64. */
  public static JsonNode toJson(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> NODES.textNode(v.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
      case INT_VALUE -> NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
      case BYTES_VALUE ->
          NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
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

  public static AnyValue ofString(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  public static AnyValue ofLong(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  public static AnyValue ofDouble(double d) {
    return AnyValue.newBuilder().setDoubleValue(d).build();
  }

  public static AnyValue ofStrings(List<String> values) {
    final ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String s : values) {
      array.addValues(ofString(s));
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }

  public static KeyValue keyValue(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  /** A short human-readable rendering of any value (bytes by their size), for the status page. */
  public static String display(AnyValue v) {
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
