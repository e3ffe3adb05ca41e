package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Types a plain (unquoted) scalar by the YAML 1.2 core schema, not SnakeYAML's YAML 1.1 rules, so
 * {@code yes}, {@code on} and {@code 0755} stay strings. Integers with leading zeros and hex/octal
 * forms also stay strings: they are more often ids than numbers, and Jackson still converts a
 * numeric string when the field is a number.
 */
final class ScalarTyper {
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern TRUE = Pattern.compile("true|True|TRUE");
  private static final Pattern FALSE = Pattern.compile("false|False|FALSE");
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(\\.[0-9]+|[0-9]+\\.[0-9]*|[0-9]+(\\.[0-9]*)?[eE][-+]?[0-9]+|\\.[0-9]+[eE][-+]?[0-9]+)");
  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

  private ScalarTyper() {}

  static JsonNode plain(String text) {
    if (NULL.matcher(text).matches()) {
      return NullNode.getInstance();
    }
    if (TRUE.matcher(text).matches()) {
      return BooleanNode.TRUE;
    }
    if (FALSE.matcher(text).matches()) {
      return BooleanNode.FALSE;
    }
    if (INT.matcher(text).matches()) {
      return integer(text);
    }
    if (FLOAT.matcher(text).matches()) {
      return DecimalNode.valueOf(new BigDecimal(text));
    }
    if (INF.matcher(text).matches()) {
      return DoubleNode.valueOf(
          text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (NAN.matcher(text).matches()) {
      return DoubleNode.valueOf(Double.NaN);
    }
    return TextNode.valueOf(text);
  }

  /**
   * Types {@code text} as the given core-schema tag ({@code int}, {@code float}, ...); null if it
   * does not fit.
   */
  static JsonNode tagged(String tag, String text) {
    switch (tag) {
      case "str":
        return TextNode.valueOf(text);
      case "null":
        return NullNode.getInstance();
      case "bool":
        return TRUE.matcher(text).matches()
            ? BooleanNode.TRUE
            : FALSE.matcher(text).matches() ? BooleanNode.FALSE : null;
      case "int":
        return INT.matcher(text).matches() ? integer(text) : null;
      case "float":
        final JsonNode typed = plain(text);
        return typed.isNumber() ? typed : null;
      default:
        return null;
    }
  }

  private static JsonNode integer(String text) {
    final BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    if (value.bitLength() < 32) {
      return IntNode.valueOf(value.intValue());
    }
    if (value.bitLength() < 64) {
      return LongNode.valueOf(value.longValue());
    }
    return BigIntegerNode.valueOf(value);
  }
}
