package dev.genainormalizer.exporter.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.semconv.GenAiAttributes;
import java.util.OptionalLong;

/**
 * The {@code mlflow} profile (vendors.md §2 "Translation the forwarder should do"): the current
 * {@code gen_ai.*} keys kept; {@code session.id} from the conversation id and {@code user.id} on
 * every span; a parentless root; and, optionally, an explicit {@code mlflow.spanType} and {@code
 * mlflow.chat.tokenUsage}. {@code mlflow.spanInputs}/{@code spanOutputs} are left to MLflow, which
 * derives them from {@code gen_ai.input.messages}/{@code output.messages}: writing them too would
 * send the content twice.
 */
final class MlflowProfile {
  static final String SPAN_TYPE = "mlflow.spanType";
  static final String TOKEN_USAGE = "mlflow.chat.tokenUsage";

  static final VendorProfile<MlflowSettings> PROFILE =
      new VendorProfile<>(
          "mlflow", MlflowSettings.class, MlflowSettings.defaults(), MlflowProfile::mapper);

  private MlflowProfile() {}

  private static VendorMapper mapper(MlflowSettings settings, ContentPolicy content) {
    return new ProfileMapper(
        ProfileMapper.ResourceStep.NONE,
        span -> map(span, settings),
        ContentKeys.BASE,
        content,
        settings.rerootOrphans());
  }

  private static void map(SpanDraft span, MlflowSettings settings) {
    span.putStringIfAbsent(GenAiAttributes.SESSION_ID, span.trace().conversationId());
    span.putStringIfAbsent(GenAiAttributes.USER_ID, span.trace().userId());
    if (!settings.explicitAttributes() || !span.kind().isGenAi()) {
      return;
    }
    span.putStringIfAbsent(SPAN_TYPE, spanType(span));
    tokenUsage(span);
  }

  /** vendors.md §2 "Span type": chat is CHAT_MODEL, the other model calls LLM. */
  private static String spanType(SpanDraft span) {
    return switch (span.kind()) {
      case LLM -> "chat".equals(span.text(GenAiAttributes.OPERATION_NAME)) ? "CHAT_MODEL" : "LLM";
      case EMBEDDING -> "EMBEDDING";
      case TOOL -> "TOOL";
      case AGENT -> "AGENT";
      case RETRIEVER -> "RETRIEVER";
      case CHAIN, NONE -> "CHAIN";
    };
  }

  /**
   * {@code {input_tokens, output_tokens, total_tokens[, cache_*]}} ({@code constant.py:
   * TokenUsageKey}).
   */
  private static void tokenUsage(SpanDraft span) {
    final OptionalLong in = span.integer(GenAiAttributes.USAGE_INPUT_TOKENS);
    final OptionalLong out = span.integer(GenAiAttributes.USAGE_OUTPUT_TOKENS);
    if (in.isEmpty() || out.isEmpty() || span.has(TOKEN_USAGE)) {
      return;
    }
    final ObjectNode usage = Messages.JSON.createObjectNode();
    usage.put("input_tokens", in.getAsLong());
    usage.put("output_tokens", out.getAsLong());
    usage.put(
        "total_tokens",
        span.integer(GenAiAttributes.USAGE_TOTAL_TOKENS).orElse(in.getAsLong() + out.getAsLong()));
    span.integer(GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS)
        .ifPresent(v -> usage.put("cache_read_input_tokens", v));
    span.integer(GenAiAttributes.USAGE_CACHE_CREATION_INPUT_TOKENS)
        .ifPresent(v -> usage.put("cache_creation_input_tokens", v));
    try {
      span.putString(TOKEN_USAGE, Messages.JSON.writeValueAsString(usage));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
