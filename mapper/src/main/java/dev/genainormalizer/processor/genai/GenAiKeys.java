package dev.genainormalizer.processor.genai;

import java.util.List;

/** Attribute keys the processor reads and writes (OTel GenAI semantic conventions, v1.41). */
final class GenAiKeys {
  static final String OPERATION_NAME = "gen_ai.operation.name";
  static final String PROVIDER_NAME = "gen_ai.provider.name";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  static final String REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count";
  static final String REQUEST_SEED = "gen_ai.request.seed";
  static final String INPUT_MESSAGES = "gen_ai.input.messages";
  static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  static final String RESPONSE_ID = "gen_ai.response.id";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String USAGE_TOTAL_TOKENS = "gen_ai.usage.total_tokens";
  static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  static final String USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  static final String USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_write.input_tokens";
  static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  static final String USAGE_COST = "gen_ai.usage.cost";
  static final String USAGE_COST_INPUT = "gen_ai.usage.cost.input";
  static final String USAGE_COST_OUTPUT = "gen_ai.usage.cost.output";
  static final String CONVERSATION_ID = "gen_ai.conversation.id";
  static final String USER_ID = "user.id";

  // Older names (semconv v1.26 and OpenLLMetry), read as their current equivalents.
  static final String LEGACY_SYSTEM = "gen_ai.system";
  static final String LEGACY_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
  static final String LEGACY_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";

  /** Integer-valued attributes, written as {@code intValue} whatever encoding they arrive in. */
  static final List<String> INT_KEYS =
      List.of(
          REQUEST_MAX_TOKENS,
          REQUEST_CHOICE_COUNT,
          REQUEST_SEED,
          USAGE_INPUT_TOKENS,
          USAGE_OUTPUT_TOKENS,
          USAGE_TOTAL_TOKENS,
          USAGE_CACHE_READ_INPUT_TOKENS,
          USAGE_CACHE_CREATION_INPUT_TOKENS,
          USAGE_CACHE_WRITE_INPUT_TOKENS,
          USAGE_REASONING_OUTPUT_TOKENS);

  private GenAiKeys() {}
}
