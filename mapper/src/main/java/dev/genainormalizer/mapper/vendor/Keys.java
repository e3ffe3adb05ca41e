package dev.genainormalizer.mapper.vendor;

/** Attribute keys of the normalized input (OTel GenAI semantic conventions v1.41). */
final class Keys {
  static final String OPERATION_NAME = "gen_ai.operation.name";
  static final String PROVIDER_NAME = "gen_ai.provider.name";
  static final String REQUEST_PREFIX = "gen_ai.request.";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String RESPONSE_ID = "gen_ai.response.id";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
  static final String INPUT_MESSAGES = "gen_ai.input.messages";
  static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String TOTAL_TOKENS = "gen_ai.usage.total_tokens";
  static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  static final String REASONING_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  static final String COST = "gen_ai.usage.cost";
  static final String CONVERSATION_ID = "gen_ai.conversation.id";
  static final String AGENT_NAME = "gen_ai.agent.name";
  static final String TOOL_NAME = "gen_ai.tool.name";
  static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
  static final String TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
  static final String TOOL_CALL_RESULT = "gen_ai.tool.call.result";
  static final String SESSION_ID = "session.id";
  static final String USER_ID = "user.id";
  static final String LEGACY_SYSTEM = "gen_ai.system";

  private Keys() {}
}
