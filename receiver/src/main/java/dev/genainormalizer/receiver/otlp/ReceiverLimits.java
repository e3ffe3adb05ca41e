package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.Validatable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code limits}: bounds on what one decoded request may contain, on top of the byte size limits of
 * each protocol, so that a hostile or broken client cannot make the pipelines walk unbounded
 * structures. A request over any of them is refused whole (400 / INVALID_ARGUMENT) with a message
 * naming the limit and the place.
 *
 * @param maxSpansPerRequest spans in one request; default {@value #DEFAULT_MAX_SPANS_PER_REQUEST}
 * @param maxAttributesPerSpan attributes in one list (of a span, resource, scope, event or link);
 *     default {@value #DEFAULT_MAX_ATTRIBUTES_PER_SPAN}
 * @param maxAttributeValueBytes bytes of one string or bytes value, UTF-8; default 8MiB (half the
 *     default body limit; Kong message attributes are a few hundred KB)
 * @param maxAnyvalueDepth nesting of array and kvlist values; default {@value
 *     #DEFAULT_MAX_ANYVALUE_DEPTH}
 */
public record ReceiverLimits(
    int maxSpansPerRequest,
    int maxAttributesPerSpan,
    ByteSize maxAttributeValueBytes,
    int maxAnyvalueDepth)
    implements Validatable {
  public static final int DEFAULT_MAX_SPANS_PER_REQUEST = 100_000;
  public static final int DEFAULT_MAX_ATTRIBUTES_PER_SPAN = 1024;
  public static final ByteSize DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES = ByteSize.ofBytes(8L << 20);
  public static final int DEFAULT_MAX_ANYVALUE_DEPTH = 16;

  /**
   * protobuf's JSON parser stops at 100 nested messages and a kvlist level takes three (AnyValue,
   * KeyValueList, KeyValue); the request, resource spans, scope spans, span, event and key-value
   * take six.
   */
  static final int MAX_ANYVALUE_DEPTH = 30;

  public ReceiverLimits {
    maxAttributeValueBytes =
        maxAttributeValueBytes == null ? DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES : maxAttributeValueBytes;
  }

  public static ReceiverLimits defaults() {
    return new ReceiverLimits(
        DEFAULT_MAX_SPANS_PER_REQUEST,
        DEFAULT_MAX_ATTRIBUTES_PER_SPAN,
        DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES,
        DEFAULT_MAX_ANYVALUE_DEPTH);
  }

  /**
   * Nested protobuf messages allowed while decoding: the deepest legal AnyValue (under an event or
   * link attribute) plus slack; deeper input fails in the decoder before it can exhaust the stack.
   */
  int protobufRecursionLimit() {
    return 8 + 3 * maxAnyvalueDepth;
  }

  /**
   * JSON nesting allowed in an OTLP/JSON body: a kvlist level is four JSON levels ({@code
   * {"kvlistValue":{"values":[{"key":…,"value":…}]}}}) and the request structure around it about
   * twelve.
   */
  int jsonNestingDepth() {
    return 16 + 4 * maxAnyvalueDepth;
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (maxSpansPerRequest < 1) {
      errors.add("max_spans_per_request: " + maxSpansPerRequest + " (expected: >= 1)");
    }
    if (maxAttributesPerSpan < 1) {
      errors.add("max_attributes_per_span: " + maxAttributesPerSpan + " (expected: >= 1)");
    }
    if (maxAttributeValueBytes.bytes() < 1 || maxAttributeValueBytes.bytes() > Integer.MAX_VALUE) {
      errors.add(
          "max_attribute_value_bytes: " + maxAttributeValueBytes + " (expected: >= 1 and < 2GiB)");
    }
    if (maxAnyvalueDepth < 1 || maxAnyvalueDepth > MAX_ANYVALUE_DEPTH) {
      errors.add(
          "max_anyvalue_depth: "
              + maxAnyvalueDepth
              + " (expected: >= 1 and <= "
              + MAX_ANYVALUE_DEPTH
              + ")");
    }
    return errors;
  }
}
