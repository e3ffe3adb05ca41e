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
    // Nearly every request keeps the limits: check those without writing the place of each
    // attribute, and walk again naming places only for a request that breaks one.
    if (withinLimits(request)) {
      return Optional.empty();
    }
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

  private boolean withinLimits(ExportTraceServiceRequest request) {
    long spans = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      if (!fits(rs.getResource().getAttributesList())) {
        return false;
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans += ss.getSpansCount();
        if (!fits(ss.getScope().getAttributesList())) {
          return false;
        }
        for (Span span : ss.getSpansList()) {
          if (!fits(span)) {
            return false;
          }
        }
      }
    }
    return spans <= limits.maxSpansPerRequest();
  }

  private boolean fits(Span span) {
    if (!fits(span.getAttributesList())) {
      return false;
    }
    for (Span.Event event : span.getEventsList()) {
      if (!fits(event.getAttributesList())) {
        return false;
      }
    }
    for (Span.Link link : span.getLinksList()) {
      if (!fits(link.getAttributesList())) {
        return false;
      }
    }
    return true;
  }

  private boolean fits(List<KeyValue> attributes) {
    if (attributes.size() > limits.maxAttributesPerSpan()) {
      return false;
    }
    for (KeyValue kv : attributes) {
      if (!fits(kv.getValue(), 1)) {
        return false;
      }
    }
    return true;
  }

  private boolean fits(AnyValue value, int depth) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValueBytes().size() <= maxValueBytes;
      case BYTES_VALUE:
        return value.getBytesValue().size() <= maxValueBytes;
      case ARRAY_VALUE:
        if (depth >= limits.maxAnyvalueDepth()) {
          return false;
        }
        for (AnyValue v : value.getArrayValue().getValuesList()) {
          if (!fits(v, depth + 1)) {
            return false;
          }
        }
        return true;
      case KVLIST_VALUE:
        if (depth >= limits.maxAnyvalueDepth()
            || value.getKvlistValue().getValuesCount() > limits.maxAttributesPerSpan()) {
          return false;
        }
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          if (!fits(kv.getValue(), depth + 1)) {
            return false;
          }
        }
        return true;
      default:
        return true;
    }
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
      final String v =
          value(kv.getValue(), 1, path + ".attributes[" + abbreviate(kv.getKey()) + "]");
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
