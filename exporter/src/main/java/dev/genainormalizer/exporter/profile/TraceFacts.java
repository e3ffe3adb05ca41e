package dev.genainormalizer.exporter.profile;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.semconv.GenAiAttributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Facts about one trace gathered over the whole request before mapping: which span ids it holds (to
 * find orphans) and its conversation and user ids, which backends want on every span of the trace
 * (vendors.md §1 "copy them onto every span that must be filterable").
 */
final class TraceFacts {
  private final String traceIdHex;
  private final Set<ByteString> spanIds = new HashSet<>();
  private String conversationId;
  private String sessionId;
  private String userId;

  private TraceFacts(ByteString traceId) {
    this.traceIdHex = HexFormat.of().formatHex(traceId.toByteArray());
  }

  static Map<ByteString, TraceFacts> of(ExportTraceServiceRequest request) {
    final Map<ByteString, TraceFacts> facts = new HashMap<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          facts.computeIfAbsent(span.getTraceId(), TraceFacts::new).add(span);
        }
      }
    }
    return facts;
  }

  private void add(Span span) {
    spanIds.add(span.getSpanId());
    for (KeyValue kv : span.getAttributesList()) {
      final String value = AnyValues.string(kv.getValue());
      if (value == null || value.isEmpty()) {
        continue;
      }
      switch (kv.getKey()) {
        case GenAiAttributes.CONVERSATION_ID ->
            conversationId = conversationId == null ? value : conversationId;
        case GenAiAttributes.SESSION_ID -> sessionId = sessionId == null ? value : sessionId;
        case GenAiAttributes.USER_ID -> userId = userId == null ? value : userId;
        default -> {}
      }
    }
  }

  String traceIdHex() {
    return traceIdHex;
  }

  boolean contains(ByteString spanId) {
    return spanIds.contains(spanId);
  }

  /**
   * The trace's conversation id ({@code gen_ai.conversation.id}, else {@code session.id}); may be
   * null.
   */
  String conversationId() {
    return conversationId != null ? conversationId : sessionId;
  }

  /** May be null. */
  String userId() {
    return userId;
  }
}
