package dev.genainormalizer.semconv;

/**
 * The attribute names of the OpenTelemetry GenAI semantic conventions (v1.41) that the service
 * reads and writes, plus the older names it still reads. One list for processors, vendor profiles
 * and metrics.
 */
public final class GenAiAttributes {
  public static final String OPERATION_NAME = "gen_ai.operation.name";
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  public static final String REQUEST_PREFIX = "gen_ai.request.";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count";
  public static final String REQUEST_SEED = "gen_ai.request.seed";
  public static final String RESPONSE_ID = "gen_ai.response.id";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String INPUT_MESSAGES = "gen_ai.input.messages";
  public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  public static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  public static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
  public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String USAGE_TOTAL_TOKENS = "gen_ai.usage.total_tokens";
  public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  public static final String USAGE_CACHE_CREATION_INPUT_TOKENS =
      "gen_ai.usage.cache_creation.input_tokens";
  public static final String USAGE_CACHE_WRITE_INPUT_TOKENS =
      "gen_ai.usage.cache_write.input_tokens";
  public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  public static final String USAGE_COST = "gen_ai.usage.cost";
  public static final String USAGE_COST_INPUT = "gen_ai.usage.cost.input";
  public static final String USAGE_COST_OUTPUT = "gen_ai.usage.cost.output";
  public static final String CONVERSATION_ID = "gen_ai.conversation.id";
  public static final String AGENT_NAME = "gen_ai.agent.name";
  public static final String TOOL_NAME = "gen_ai.tool.name";
  public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
  public static final String TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
  public static final String TOOL_CALL_RESULT = "gen_ai.tool.call.result";
  public static final String ERROR_TYPE = "error.type";
  public static final String SESSION_ID = "session.id";
  public static final String USER_ID = "user.id";

  // Older names (semconv v1.26 and OpenLLMetry), read as their current equivalents.
  public static final String LEGACY_SYSTEM = "gen_ai.system";
  public static final String LEGACY_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
  public static final String LEGACY_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";

  private GenAiAttributes() {}
}
