package dev.genainormalizer.exporter.profile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.semconv.GenAiAttributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one mapping loop every profile shares; a profile only supplies its steps and content keys.
 * Per span, in order: structured message values become JSON strings, orphans are re-rooted (if the
 * profile asks), the profile's span step runs, and with {@link ContentPolicy#DROP} the content keys
 * go last, so nothing a step derives from text survives.
 */
final class ProfileMapper implements VendorMapper {
  /**
   * Message-like attributes sent as JSON strings: Phoenix needs strings, Langfuse mis-decodes
   * kvlists (vendors.md §7).
   */
  private static final List<String> JSON_STRING_KEYS =
      List.of(
          GenAiAttributes.INPUT_MESSAGES,
          GenAiAttributes.OUTPUT_MESSAGES,
          GenAiAttributes.SYSTEM_INSTRUCTIONS,
          GenAiAttributes.TOOL_DEFINITIONS,
          GenAiAttributes.TOOL_CALL_ARGUMENTS,
          GenAiAttributes.TOOL_CALL_RESULT);

  @FunctionalInterface
  interface ResourceStep {
    ResourceStep NONE = attrs -> {};

    void apply(Map<String, AnyValue> attrs);
  }

  @FunctionalInterface
  interface SpanStep {
    SpanStep NONE = span -> {};

    void apply(SpanDraft span);
  }

  private final ResourceStep resourceStep;
  private final SpanStep spanStep;
  private final boolean rerootOrphans;
  private final Predicate<String> dropKey;

  /**
   * The profile has no step of its own, keeps content and re-roots nothing (the default {@code
   * genai} profile): a span changes only when it holds a structured message value or a repeated
   * key, so one that holds neither is sent as it came, without being rebuilt. Mapping every span of
   * every batch was most of the exporter's cost per span.
   */
  private final boolean onlyNormalizesValues;

  ProfileMapper(
      ResourceStep resourceStep,
      SpanStep spanStep,
      ContentKeys contentKeys,
      ContentPolicy content,
      boolean rerootOrphans) {
    this.resourceStep = requireNonNull(resourceStep, "resourceStep");
    this.spanStep = requireNonNull(spanStep, "spanStep");
    this.rerootOrphans = rerootOrphans;
    requireNonNull(contentKeys, "contentKeys");
    this.dropKey =
        requireNonNull(content, "content") == ContentPolicy.DROP
            ? contentKeys::matches
            : k -> false;
    this.onlyNormalizesValues =
        resourceStep == ResourceStep.NONE
            && spanStep == SpanStep.NONE
            && !rerootOrphans
            && content == ContentPolicy.KEEP;
  }

  @Override
  public ExportTraceServiceRequest map(ExportTraceServiceRequest request) {
    requireNonNull(request, "request");
    if (onlyNormalizesValues && unchangedByValueNormalization(request)) {
      return request;
    }
    final Map<ByteString, TraceFacts> facts = TraceFacts.of(request);
    final ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      final ResourceSpans.Builder rsOut = rs.toBuilder().clearScopeSpans();
      rsOut.setResource(mapResource(rs.getResource()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        final ScopeSpans.Builder ssOut = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          ssOut.addSpans(mapSpan(span, facts.get(span.getTraceId())));
        }
        rsOut.addScopeSpans(ssOut);
      }
      out.addResourceSpans(rsOut);
    }
    return out.build();
  }

  private static boolean unchangedByValueNormalization(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      if (hasRepeatedKey(rs.getResource().getAttributesList())) {
        return false;
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (hasRepeatedKey(span.getAttributesList()) || hasStructuredMessage(span)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean hasStructuredMessage(Span span) {
    for (KeyValue kv : span.getAttributesList()) {
      if ((kv.getValue().hasArrayValue() || kv.getValue().hasKvlistValue())
          && JSON_STRING_KEYS.contains(kv.getKey())) {
        return true;
      }
    }
    return false;
  }

  // A mapped span or resource holds each key once (the last value, in the first one's place).
  private static boolean hasRepeatedKey(List<KeyValue> attributes) {
    if (attributes.size() < 2) {
      return false;
    }
    final Set<String> seen = new HashSet<>(attributes.size() * 2);
    for (KeyValue kv : attributes) {
      if (!seen.add(kv.getKey())) {
        return true;
      }
    }
    return false;
  }

  private Resource mapResource(Resource resource) {
    final Map<String, AnyValue> attrs = new LinkedHashMap<>();
    for (KeyValue kv : resource.getAttributesList()) {
      attrs.put(kv.getKey(), kv.getValue());
    }
    resourceStep.apply(attrs);
    final Resource.Builder b = resource.toBuilder().clearAttributes();
    attrs.forEach((k, v) -> b.addAttributes(KeyValue.newBuilder().setKey(k).setValue(v)));
    return b.build();
  }

  private Span mapSpan(Span span, TraceFacts trace) {
    if (onlyNormalizesValues
        && !hasRepeatedKey(span.getAttributesList())
        && !hasStructuredMessage(span)) {
      return span;
    }
    final SpanDraft draft = new SpanDraft(span, trace);
    for (String key : JSON_STRING_KEYS) {
      final AnyValue v = draft.get(key);
      if (v != null && (v.hasArrayValue() || v.hasKvlistValue())) {
        draft.put(key, AnyValues.ofString(toJsonString(v)));
      }
    }
    if (rerootOrphans && draft.isOrphan()) {
      draft.reroot();
    }
    spanStep.apply(draft);
    return draft.build(dropKey);
  }

  private static String toJsonString(AnyValue v) {
    try {
      return Messages.JSON.writeValueAsString(AnyValues.toJson(v));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
