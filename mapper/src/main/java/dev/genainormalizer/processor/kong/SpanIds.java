package dev.genainormalizer.processor.kong;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Which ids make a span invalid. A trace id must be 16 bytes, or 8 bytes (a 64-bit id, which is
 * left-padded with zero bytes, as Kong pads such ids itself), and not all zeros; a span id must be
 * 8 bytes and not all zeros; a parent span id must be empty or 8 bytes (8 zero bytes mean no
 * parent).
 */
final class SpanIds {
  static final int TRACE_ID_BYTES = 16;
  static final int SHORT_TRACE_ID_BYTES = 8;
  static final int SPAN_ID_BYTES = 8;
  private static final java.util.HexFormat HEX = java.util.HexFormat.of();
  private static final ByteString EIGHT_ZEROS = ByteString.copyFrom(new byte[8]);

  private SpanIds() {}

  /** Why the span is invalid, or null when it is valid. */
  static String problem(Span span) {
    final ByteString traceId = span.getTraceId();
    if (traceId.size() != TRACE_ID_BYTES && traceId.size() != SHORT_TRACE_ID_BYTES) {
      return "traceId has " + traceId.size() + " bytes (expected: 16, or 8 for a 64-bit id)";
    }
    if (allZero(traceId)) {
      return "traceId is all zeros (expected: a non-zero id)";
    }
    final ByteString spanId = span.getSpanId();
    if (spanId.size() != SPAN_ID_BYTES) {
      return "spanId has " + spanId.size() + " bytes (expected: 8)";
    }
    if (allZero(spanId)) {
      return "spanId is all zeros (expected: a non-zero id)";
    }
    final int parent = span.getParentSpanId().size();
    if (parent != 0 && parent != SPAN_ID_BYTES) {
      return "parentSpanId has " + parent + " bytes (expected: 0 or 8)";
    }
    return null;
  }

  /** The trace id as 16 bytes (a valid span's 64-bit id gets 8 leading zero bytes). */
  static ByteString traceId(Span span) {
    final ByteString id = span.getTraceId();
    return id.size() == SHORT_TRACE_ID_BYTES ? EIGHT_ZEROS.concat(id) : id;
  }

  /** The parent id, with 8 zero bytes read as none. */
  static ByteString parent(Span span) {
    final ByteString parent = span.getParentSpanId();
    return parent.equals(EIGHT_ZEROS) ? ByteString.EMPTY : parent;
  }

  /** Whether the span names itself as its parent. */
  static boolean isOwnParent(Span span) {
    return !span.getParentSpanId().isEmpty() && span.getParentSpanId().equals(span.getSpanId());
  }

  static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  private static boolean allZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
