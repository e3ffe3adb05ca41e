package dev.genainormalizer.receiver.otlp;

import java.io.ByteArrayOutputStream;

/**
 * Hand-encoded requests nested deeper than protobuf-java can build or serialize without overflowing
 * the stack: one span with one attribute whose value is {@code levels} nested arrays.
 */
final class DeepProtobuf {
  private DeepProtobuf() {}

  static byte[] nestedArrays(int levels) {
    // sizes from the inside out: leaf AnyValue{int_value: 1} is 2 bytes
    final long[] anyValue = new long[levels + 1];
    anyValue[0] = 2;
    for (int i = 1; i <= levels; i++) {
      final long array = 1 + varintSize(anyValue[i - 1]) + anyValue[i - 1]; // ArrayValue.values
      anyValue[i] = 1 + varintSize(array) + array; // AnyValue.array_value
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream((int) anyValue[levels] + 64);
    final long keyValue = 3 + 1 + varintSize(anyValue[levels]) + anyValue[levels];
    final long span = 1 + varintSize(keyValue) + keyValue;
    final long scope = 1 + varintSize(span) + span;
    final long resource = 1 + varintSize(scope) + scope;
    field(out, 0x0A, resource); // ExportTraceServiceRequest.resource_spans
    field(out, 0x12, scope); // ResourceSpans.scope_spans
    field(out, 0x12, span); // ScopeSpans.spans
    field(out, 0x4A, keyValue); // Span.attributes
    out.write(0x0A); // KeyValue.key = "k"
    out.write(1);
    out.write('k');
    field(out, 0x12, anyValue[levels]); // KeyValue.value
    for (int i = levels; i >= 1; i--) {
      final long array = 1 + varintSize(anyValue[i - 1]) + anyValue[i - 1];
      field(out, 0x2A, array); // AnyValue.array_value
      field(out, 0x0A, anyValue[i - 1]); // ArrayValue.values
    }
    out.write(0x18); // AnyValue.int_value = 1
    out.write(1);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int tag, long length) {
    out.write(tag);
    long v = length;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }
}
