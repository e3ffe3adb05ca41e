package dev.genainormalizer.semconv;

import static dev.genainormalizer.semconv.GenAiAttributes.OPERATION_NAME;
import static dev.genainormalizer.semconv.GenAiAttributes.REQUEST_MODEL;
import static dev.genainormalizer.semconv.GenAiAttributes.RESPONSE_MODEL;
import static dev.genainormalizer.semconv.GenAiAttributes.TOOL_CALL_ID;
import static dev.genainormalizer.semconv.GenAiAttributes.TOOL_NAME;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;

/**
 * What a span is, in the vocabulary every backend shares (Langfuse observation types, MLflow span
 * types, Phoenix span kinds), and the one answer to "is this a Gen AI span?" for processors, vendor
 * profiles and metrics. The operation name decides first, then tool keys, then a model: the order
 * Langfuse's ObservationTypeMapper applies.
 */
public enum GenAiKind {
  /** A call to a language model: chat, completions, content generation. */
  LLM,
  EMBEDDING,
  TOOL,
  AGENT,
  RETRIEVER,
  /** Has an operation name of no other kind. */
  CHAIN,
  /** Not a Gen AI span (no operation name, tool or model), e.g. an SDK caller span. */
  NONE;

  /** The kind an operation name stands for; {@link #CHAIN} for any other operation. */
  public static GenAiKind ofOperation(String operation) {
    return switch (operation) {
      case "chat", "text_completion", "generate_content", "completion", "generate" -> LLM;
      case "embeddings" -> EMBEDDING;
      case "execute_tool" -> TOOL;
      case "invoke_agent", "create_agent" -> AGENT;
      case "retrieval" -> RETRIEVER;
      default -> CHAIN;
    };
  }

  public static GenAiKind of(Map<String, AnyValue> attributes) {
    final AnyValue op = attributes.get(OPERATION_NAME);
    if (op != null && op.hasStringValue()) {
      final GenAiKind kind = ofOperation(op.getStringValue());
      if (kind != CHAIN) {
        return kind;
      }
    }
    if (attributes.containsKey(TOOL_NAME) || attributes.containsKey(TOOL_CALL_ID)) {
      return TOOL;
    }
    if (attributes.containsKey(REQUEST_MODEL) || attributes.containsKey(RESPONSE_MODEL)) {
      return LLM;
    }
    return op != null ? CHAIN : NONE;
  }

  /**
   * Whether a span is a Gen AI span: by its attributes (an operation name, a tool, a model), never
   * by its name. The same answer as {@code of(...) != NONE}, without building a map.
   */
  public static boolean isGenAi(List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (isGenAiKey(kv.getKey())) {
        return true;
      }
    }
    return false;
  }

  public static boolean isGenAi(Span span) {
    return isGenAi(span.getAttributesList());
  }

  private static boolean isGenAiKey(String key) {
    return key.equals(OPERATION_NAME)
        || key.equals(REQUEST_MODEL)
        || key.equals(RESPONSE_MODEL)
        || key.equals(TOOL_NAME)
        || key.equals(TOOL_CALL_ID);
  }

  public boolean isGenAi() {
    return this != NONE;
  }

  /** A call to a model (chat, completion, embeddings): the spans that carry tokens. */
  public boolean isModelCall() {
    return this == LLM || this == EMBEDDING;
  }
}
