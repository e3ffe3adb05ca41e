package dev.genainormalizer.exporter.profile;

import dev.genainormalizer.semconv.GenAiAttributes;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code openllmetry} and {@code dynatrace} profiles: the current {@code gen_ai.*} keys kept,
 * and the legacy OpenLLMetry/Traceloop keys written next to them (vendors.md §5 "Translation the
 * forwarder should do" 2, the list on Dynatrace's per-model and Kong pages). Dynatrace differs only
 * in transport: its exporter splits requests with {@link RequestSplitter} at {@link
 * #DYNATRACE_MAX_REQUEST_BYTES}.
 */
final class OpenLlmetryProfile {
  /**
   * Dynatrace accepts at most 8 MB per request (vendors.md §5 "Limits"); decimal MB, to be safe.
   */
  static final int DYNATRACE_MAX_REQUEST_BYTES = 8_000_000;

  static final String PROMPT = "gen_ai.prompt.";
  static final String COMPLETION = "gen_ai.completion.";

  static final ContentKeys CONTENT = ContentKeys.BASE.plus(Set.of(), List.of(PROMPT, COMPLETION));

  static final VendorProfile<NoSettings> OPENLLMETRY =
      new VendorProfile<>(
          "openllmetry", NoSettings.class, NoSettings.defaults(), OpenLlmetryProfile::mapper);

  static final VendorProfile<NoSettings> DYNATRACE =
      new VendorProfile<>(
          "dynatrace", NoSettings.class, NoSettings.defaults(), OpenLlmetryProfile::mapper);

  private OpenLlmetryProfile() {}

  private static VendorMapper mapper(NoSettings settings, ContentPolicy content) {
    return new ProfileMapper(
        ProfileMapper.ResourceStep.NONE, OpenLlmetryProfile::map, CONTENT, content, false);
  }

  private static void map(SpanDraft span) {
    if (!span.kind().isGenAi()) {
      return;
    }
    span.putStringIfAbsent(GenAiAttributes.LEGACY_SYSTEM, span.text(GenAiAttributes.PROVIDER_NAME));
    span.putStringIfAbsent(
        "llm.request.type", requestType(span.text(GenAiAttributes.OPERATION_NAME)));
    final OptionalLong in = span.integer(GenAiAttributes.USAGE_INPUT_TOKENS);
    final OptionalLong out = span.integer(GenAiAttributes.USAGE_OUTPUT_TOKENS);
    OptionalLong total = span.integer(GenAiAttributes.USAGE_TOTAL_TOKENS);
    if (total.isEmpty() && in.isPresent() && out.isPresent()) {
      total = OptionalLong.of(in.getAsLong() + out.getAsLong());
    }
    putIfAbsent(span, "gen_ai.usage.prompt_tokens", in);
    putIfAbsent(span, "gen_ai.usage.completion_tokens", out);
    // Traceloop's total (MLflow's Traceloop translator reads it, vendors.md §2 "Token usage").
    putIfAbsent(span, "llm.usage.total_tokens", total);
    if (span.attributes().keySet().stream()
        .anyMatch(k -> k.startsWith(PROMPT) || k.startsWith(COMPLETION))) {
      return; // the sender already wrote the legacy form
    }
    final List<Messages.Message> system =
        Messages.parseSystemInstructions(span.text(GenAiAttributes.SYSTEM_INSTRUCTIONS));
    flatten(
        span,
        PROMPT,
        Messages.withSystemInstructions(
            system, Messages.parse(span.text(GenAiAttributes.INPUT_MESSAGES))));
    flatten(span, COMPLETION, Messages.parse(span.text(GenAiAttributes.OUTPUT_MESSAGES)));
  }

  /** OpenLLMetry's LLMRequestTypeValues; null for operations that are not a model call. */
  private static String requestType(String operation) {
    if (operation == null) {
      return null;
    }
    return switch (operation) {
      case "chat" -> "chat";
      case "text_completion", "generate_content" -> "completion";
      case "embeddings" -> "embedding";
      default -> null;
    };
  }

  private static void putIfAbsent(SpanDraft span, String key, OptionalLong value) {
    if (!span.has(key)) {
      span.putInteger(key, value);
    }
  }

  /**
   * {@code gen_ai.prompt.{i}.role/content} and {@code
   * gen_ai.completion.{i}.role/content/finish_reason}. Tool calls follow OpenLLMetry's OpenAI
   * instrumentation ({@code .tool_calls.{k}.id/name/arguments}, {@code .tool_call_id}); Dynatrace's
   * pages do not list them.
   */
  private static void flatten(SpanDraft span, String prefix, List<Messages.Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      final Messages.Message m = messages.get(i);
      final String p = prefix + i + ".";
      span.putString(p + "role", m.role());
      String content = m.text();
      final List<Messages.Part> answers = m.parts("tool_call_response");
      if (!answers.isEmpty()) {
        span.putString(p + "tool_call_id", answers.get(0).id());
        if (content.isEmpty()) {
          content = answers.get(0).response();
        }
      }
      if (content != null && !content.isEmpty()) {
        span.putString(p + "content", content);
      }
      final List<Messages.Part> calls = m.parts("tool_call");
      for (int k = 0; k < calls.size(); k++) {
        final String c = p + "tool_calls." + k + ".";
        span.putString(c + "id", calls.get(k).id());
        span.putString(c + "name", calls.get(k).name());
        span.putString(c + "arguments", calls.get(k).arguments());
      }
      span.putString(p + "finish_reason", m.finishReason());
    }
  }
}
