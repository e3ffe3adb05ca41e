package dev.genainormalizer.exporter.debug;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AttributeRedactor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Renders spans as text for people; pure, so it is tested without the exporter around it. */
final class SpanPrinter {
  private static final HexFormat HEX = HexFormat.of();
  private static final AttributeRedactor REDACTOR = AttributeRedactor.credentials();

  private final Verbosity verbosity;
  private final int maxValueLength;

  SpanPrinter(Verbosity verbosity, int maxValueLength) {
    this.verbosity = verbosity;
    this.maxValueLength = maxValueLength;
  }

  String print(ExportTraceServiceRequest request) {
    final StringBuilder out = new StringBuilder(1024);
    for (ResourceSpans rs : request.getResourceSpansList()) {
      if (verbosity == Verbosity.DETAILED) {
        printResource(out, rs.getResource());
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (verbosity == Verbosity.DETAILED) {
            printDetailed(out, span, ss);
          } else {
            printBasic(out, span);
          }
        }
      }
    }
    return out.toString();
  }

  private void printResource(StringBuilder out, Resource resource) {
    out.append("Resource\n");
    printAttributes(out, resource.getAttributesList(), "    ");
  }

  private void printDetailed(StringBuilder out, Span span, ScopeSpans scope) {
    out.append("Span ").append(cut(span.getName())).append('\n');
    line(out, "Trace ID", hex(span.getTraceId()));
    line(out, "Span ID", hex(span.getSpanId()));
    line(out, "Parent ID", hex(span.getParentSpanId()));
    line(out, "Kind", kind(span));
    if (!scope.getScope().getName().isEmpty()) {
      line(out, "Scope", cut(scope.getScope().getName()) + " " + scope.getScope().getVersion());
    }
    line(out, "Start", time(span.getStartTimeUnixNano()));
    line(out, "End", time(span.getEndTimeUnixNano()));
    line(out, "Duration", duration(span));
    line(out, "Status", status(span.getStatus()));
    if (span.getAttributesCount() > 0) {
      out.append("    Attributes:\n");
      printAttributes(out, span.getAttributesList(), "        ");
    }
    for (Span.Event event : span.getEventsList()) {
      out.append("    Event ")
          .append(cut(event.getName()))
          .append(" at ")
          .append(time(event.getTimeUnixNano()))
          .append('\n');
      printAttributes(out, event.getAttributesList(), "        ");
    }
    for (Span.Link link : span.getLinksList()) {
      out.append("    Link ")
          .append(hex(link.getTraceId()))
          .append('/')
          .append(hex(link.getSpanId()))
          .append('\n');
    }
    out.append('\n');
  }

  private void printBasic(StringBuilder out, Span span) {
    out.append(cut(span.getName()))
        .append(" trace=")
        .append(hex(span.getTraceId()))
        .append(" span=")
        .append(hex(span.getSpanId()))
        .append(" parent=")
        .append(hex(span.getParentSpanId()))
        .append(" kind=")
        .append(kind(span))
        .append(" duration=")
        .append(duration(span))
        .append(" status=")
        .append(status(span.getStatus()))
        .append('\n');
  }

  /**
   * Credentials (a recorded {@code http.request.header.authorization}, a URL's {@code user:pass@})
   * are redacted by the shared rule: stdout ends up in log stores. Prompt and completion text is
   * printed: that is what this exporter is for.
   */
  private void printAttributes(StringBuilder out, List<KeyValue> attributes, String indent) {
    for (KeyValue kv : REDACTOR.redact(attributes)) {
      out.append(indent).append(kv.getKey()).append(": ").append(typed(kv.getValue())).append('\n');
    }
  }

  /** A value with its OTLP type, e.g. {@code Str(chat)}, {@code Int(42)}. */
  String typed(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> "Str(" + cut(v.getStringValue()) + ")";
      case INT_VALUE -> "Int(" + v.getIntValue() + ")";
      case DOUBLE_VALUE -> "Double(" + v.getDoubleValue() + ")";
      case BOOL_VALUE -> "Bool(" + v.getBoolValue() + ")";
      case BYTES_VALUE -> "Bytes(" + cut(hex(v.getBytesValue())) + ")";
      case ARRAY_VALUE -> "Slice(" + cut(rawList(v)) + ")";
      case KVLIST_VALUE -> "Map(" + cut(raw(v)) + ")";
      default -> "Empty()";
    };
  }

  private static String rawList(AnyValue v) {
    final StringBuilder sb = new StringBuilder("[");
    for (AnyValue item : v.getArrayValue().getValuesList()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(raw(item));
    }
    return sb.append(']').toString();
  }

  private static String raw(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> '"' + v.getStringValue() + '"';
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case BYTES_VALUE -> hex(v.getBytesValue());
      case ARRAY_VALUE -> rawList(v);
      case KVLIST_VALUE -> {
        final StringBuilder sb = new StringBuilder("{");
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append(kv.getKey()).append(": ").append(raw(kv.getValue()));
        }
        yield sb.append('}').toString();
      }
      default -> "null";
    };
  }

  String cut(String s) {
    if (s.length() <= maxValueLength) {
      return s;
    }
    int end = maxValueLength;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return s.substring(0, end) + "…(" + (s.length() - end) + " more chars)";
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append("    ").append(label).append(": ").append(value).append('\n');
  }

  private static String hex(ByteString id) {
    return id.isEmpty() ? "-" : HEX.formatHex(id.toByteArray());
  }

  private static String kind(Span span) {
    return switch (span.getKind()) {
      case SPAN_KIND_INTERNAL -> "Internal";
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      default -> "Unspecified";
    };
  }

  private static String time(long unixNanos) {
    if (unixNanos == 0) {
      return "-";
    }
    return Instant.ofEpochSecond(0, unixNanos).toString();
  }

  private static String duration(Span span) {
    if (span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() == 0) {
      return "-";
    }
    final long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    // negative when an older Kong build ends a Gen AI span before it starts: show it, do not hide
    // it
    return String.format(java.util.Locale.ROOT, "%.3fms", nanos / 1e6);
  }

  private static String status(Status status) {
    final String code =
        switch (status.getCode()) {
          case STATUS_CODE_OK -> "Ok";
          case STATUS_CODE_ERROR -> "Error";
          default -> "Unset";
        };
    return status.getMessage().isEmpty() ? code : code + " (" + status.getMessage() + ")";
  }
}
