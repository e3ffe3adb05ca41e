package dev.genainormalizer.mapper.vendor;

import java.util.Map;

/**
 * What a span is, in the vocabulary every backend shares (vendors.md §1 Langfuse observation types,
 * §2 MLflow span types, §6 Phoenix span kinds). The operation name decides first, then tool keys,
 * then a model: the order Langfuse's ObservationTypeMapper applies.
 */
enum GenAiKind {
  LLM,
  EMBEDDING,
  TOOL,
  AGENT,
  RETRIEVER,
  CHAIN,
  /** Not a Gen AI span (no operation name and no model), e.g. an SDK caller span. */
  NONE;

  static GenAiKind of(Map<String, io.opentelemetry.proto.common.v1.AnyValue> attrs) {
    final String op = Values.text(attrs.get(Keys.OPERATION_NAME));
    if (op != null) {
      switch (op) {
        case "chat", "text_completion", "generate_content", "completion", "generate":
          return LLM;
        case "embeddings":
          return EMBEDDING;
        case "execute_tool":
          return TOOL;
        case "invoke_agent", "create_agent":
          return AGENT;
        case "retrieval":
          return RETRIEVER;
        default:
          break;
      }
    }
    if (attrs.containsKey(Keys.TOOL_NAME) || attrs.containsKey(Keys.TOOL_CALL_ID)) {
      return TOOL;
    }
    if (attrs.containsKey(Keys.REQUEST_MODEL) || attrs.containsKey(Keys.RESPONSE_MODEL)) {
      return LLM;
    }
    return op != null ? CHAIN : NONE;
  }

  boolean isGenAi() {
    return this != NONE;
  }

  /** A call to a model (chat, completion, embeddings): the spans that carry tokens and messages. */
  boolean isModelCall() {
    return this == LLM || this == EMBEDDING;
  }
}
