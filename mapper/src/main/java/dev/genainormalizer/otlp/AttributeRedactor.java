package dev.genainormalizer.otlp;

import dev.genainormalizer.config.Redaction;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Applies {@link Redaction} to OTLP attributes for display: a credential's value becomes {@code
 * [REDACTED]} (whatever its type), URLs in string values lose their credentials, and keys the
 * caller hides (prompt and completion text on the status page) become {@value #CONTENT_HIDDEN}.
 * Nested {@code kvlistValue} keys are judged by the same rule. Used by everything that shows spans
 * to a person: the {@code debug} exporter, the status page, {@code map}.
 */
public final class AttributeRedactor {
  /** What a hidden content attribute shows instead of its value. */
  public static final String CONTENT_HIDDEN = "[CONTENT HIDDEN]";

  private static final AttributeRedactor CREDENTIALS = new AttributeRedactor(key -> false);

  private final Predicate<String> hidden;

  private AttributeRedactor(Predicate<String> hidden) {
    this.hidden = hidden;
  }

  /** Credentials only: what the {@code debug} exporter and {@code map} print. */
  public static AttributeRedactor credentials() {
    return CREDENTIALS;
  }

  /**
   * Credentials, and the value of every key {@code contentKey} accepts shown as {@value
   * #CONTENT_HIDDEN}.
   */
  public static AttributeRedactor credentialsAndContent(Predicate<String> contentKey) {
    return new AttributeRedactor(Objects.requireNonNull(contentKey, "contentKey"));
  }

  public KeyValue redact(KeyValue kv) {
    final AnyValue shown = value(kv.getKey(), kv.getValue());
    return shown == kv.getValue() ? kv : kv.toBuilder().setValue(shown).build();
  }

  public List<KeyValue> redact(List<KeyValue> attributes) {
    final List<KeyValue> out = new ArrayList<>(attributes.size());
    for (KeyValue kv : attributes) {
      out.add(redact(kv));
    }
    return out;
  }

  /** The request with every attribute (resource, scope, span, event, link) redacted. */
  public ExportTraceServiceRequest redact(ExportTraceServiceRequest request) {
    final ExportTraceServiceRequest.Builder out = request.toBuilder();
    for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
      if (rs.hasResource()) {
        final List<KeyValue> attrs = redact(rs.getResource().getAttributesList());
        rs.getResourceBuilder().clearAttributes().addAllAttributes(attrs);
      }
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        if (ss.hasScope()) {
          final List<KeyValue> attrs = redact(ss.getScope().getAttributesList());
          ss.getScopeBuilder().clearAttributes().addAllAttributes(attrs);
        }
        for (Span.Builder span : ss.getSpansBuilderList()) {
          final List<KeyValue> attrs = redact(span.getAttributesList());
          span.clearAttributes().addAllAttributes(attrs);
          for (Span.Event.Builder event : span.getEventsBuilderList()) {
            final List<KeyValue> eventAttrs = redact(event.getAttributesList());
            event.clearAttributes().addAllAttributes(eventAttrs);
          }
          for (Span.Link.Builder link : span.getLinksBuilderList()) {
            final List<KeyValue> linkAttrs = redact(link.getAttributesList());
            link.clearAttributes().addAllAttributes(linkAttrs);
          }
        }
      }
    }
    return out.build();
  }

  private AnyValue value(String key, AnyValue v) {
    if (Redaction.isSecretKey(key)) {
      return string(Redaction.REDACTED);
    }
    if (hidden.test(key)) {
      return string(CONTENT_HIDDEN);
    }
    return switch (v.getValueCase()) {
      case STRING_VALUE -> {
        final String shown = Redaction.attributeValue(key, v.getStringValue());
        yield shown.equals(v.getStringValue()) ? v : string(shown);
      }
      case ARRAY_VALUE -> {
        // an array takes its key's judgement: http.request.header.<name> is a string[] in semconv
        final ArrayValue.Builder b = ArrayValue.newBuilder();
        boolean changed = false;
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          final AnyValue shown = value(key, item);
          changed |= shown != item;
          b.addValues(shown);
        }
        yield changed ? AnyValue.newBuilder().setArrayValue(b).build() : v;
      }
      case KVLIST_VALUE -> {
        final KeyValueList.Builder b = KeyValueList.newBuilder();
        boolean changed = false;
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          final KeyValue shown = redact(kv);
          changed |= shown != kv;
          b.addValues(shown);
        }
        yield changed ? AnyValue.newBuilder().setKvlistValue(b).build() : v;
      }
      default -> v;
    };
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}
