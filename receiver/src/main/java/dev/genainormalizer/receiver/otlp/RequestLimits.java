package dev.genainormalizer.receiver.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Optional;

/** Checks a decoded request against {@link ReceiverLimits}; finds the first violation. */
final class RequestLimits {
  private final ReceiverLimits limits;
  private final long maxValueBytes;

  RequestLimits(ReceiverLimits limits) {
    this.limits = limits;
    this.maxValueBytes = limits.maxAttributeValueBytes().bytes();
  }

  /** The first limit the request breaks, as a message naming the limit and the place; or empty. */
  Optional<String> violation(ExportTraceServiceRequest request) {
    long spans = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans += ss.getSpansCount();
      }
    }
    if (spans > limits.maxSpansPerRequest()) {
      return Optional.of(
          "request has "
              + spans
              + " spans (max_spans_per_request: "
              + limits.maxSpansPerRequest()
              + ")");
    }
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      final ResourceSpans rs = request.getResourceSpans(r);
      final String rPath = "resourceSpans[" + r + "]";
      String v = attributes(rs.getResource().getAttributesList(), rPath + ".resource");
      if (v != null) {
        return Optional.of(v);
      }
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        final ScopeSpans ss = rs.getScopeSpans(s);
        final String sPath = rPath + ".scopeSpans[" + s + "]";
        v = attributes(ss.getScope().getAttributesList(), sPath + ".scope");
        if (v != null) {
          return Optional.of(v);
        }
        for (int i = 0; i < ss.getSpansCount(); i++) {
          v = span(ss.getSpans(i), sPath + ".spans[" + i + "]");
          if (v != null) {
            return Optional.of(v);
          }
        }
      }
    }
    return Optional.empty();
  }

  private String span(Span span, String path) {
    String v = attributes(span.getAttributesList(), path);
    if (v != null) {
      return v;
    }
    for (int e = 0; e < span.getEventsCount(); e++) {
      v = attributes(span.getEvents(e).getAttributesList(), path + ".events[" + e + "]");
      if (v != null) {
        return v;
      }
    }
    for (int l = 0; l < span.getLinksCount(); l++) {
      v = attributes(span.getLinks(l).getAttributesList(), path + ".links[" + l + "]");
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private String attributes(List<KeyValue> attributes, String path) {
    if (attributes.size() > limits.maxAttributesPerSpan()) {
      return path
          + ".attributes: "
          + attributes.size()
          + " attributes (max_attributes_per_span: "
          + limits.maxAttributesPerSpan()
          + ")";
    }
    for (KeyValue kv : attributes) {
      final String v = value(kv.getValue(), 1, path + ".attributes[" + abbreviate(kv.getKey()) + "]");
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private String value(AnyValue value, int depth, String path) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> {
        final long bytes = value.getStringValueBytes().size();
        return bytes > maxValueBytes ? tooLong(path, bytes) : null;
      }
      case BYTES_VALUE -> {
        final long bytes = value.getBytesValue().size();
        return bytes > maxValueBytes ? tooLong(path, bytes) : null;
      }
      case ARRAY_VALUE, KVLIST_VALUE -> {
        if (depth >= limits.maxAnyvalueDepth()) {
          return path
              + ": value nested deeper than "
              + limits.maxAnyvalueDepth()
              + " levels (max_anyvalue_depth: "
              + limits.maxAnyvalueDepth()
              + ")";
        }
        if (value.hasArrayValue()) {
          final List<AnyValue> values = value.getArrayValue().getValuesList();
          for (int i = 0; i < values.size(); i++) {
            final String v = value(values.get(i), depth + 1, path + "[" + i + "]");
            if (v != null) {
              return v;
            }
          }
        } else {
          final List<KeyValue> values = value.getKvlistValue().getValuesList();
          if (values.size() > limits.maxAttributesPerSpan()) {
            return path
                + ": kvlist of "
                + values.size()
                + " entries (max_attributes_per_span: "
                + limits.maxAttributesPerSpan()
                + ")";
          }
          for (KeyValue kv : values) {
            final String v = value(kv.getValue(), depth + 1, path + "." + abbreviate(kv.getKey()));
            if (v != null) {
              return v;
            }
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private String tooLong(String path, long bytes) {
    return path
        + ": value of "
        + bytes
        + " bytes (max_attribute_value_bytes: "
        + maxValueBytes
        + ")";
  }

  /** At most 64 characters of a client-given name, for messages. */
  static String abbreviate(String key) {
    return key.length() <= 64 ? key : key.substring(0, 64) + "...";
  }
}
