package dev.genainormalizer.exporter.profile;

import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.semconv.GenAiAttributes;
import dev.genainormalizer.semconv.GenAiKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The {@code fiddler} profile (vendors.md §4 "Required attributes", "Attributes it reads" and
 * "Translation the forwarder should do"): resource {@code application.id}; {@code
 * fiddler.span.type} on every span, since Fiddler rejects untyped spans; plain-text prompt and
 * completion fields derived from the messages; {@code gen_ai.system}; agent name and conversation
 * id defaulted (the defaults are the project's choice: {@code <UNKNOWN_AGENT>} and the trace id in
 * hex, UNCONFIRMED in vendors.md).
 */
final class FiddlerProfile {
  static final String SPAN_TYPE = "fiddler.span.type";
  private static final Set<String> SPAN_TYPES = Set.of("llm", "tool", "chain", "agent");
  static final String APPLICATION_ID = "application.id";
  static final String INPUT_SYSTEM = "gen_ai.llm.input.system";
  static final String INPUT_USER = "gen_ai.llm.input.user";
  static final String OUTPUT = "gen_ai.llm.output";
  static final String TOOL_INPUT = "gen_ai.tool.input";
  static final String TOOL_OUTPUT = "gen_ai.tool.output";

  /**
   * Fiddler's official plugin caps plain-text content attributes at 64,000 bytes (vendors.md §4
   * "Size", {@code span.go: MaxAttrLen}).
   */
  static final int MAX_TEXT_BYTES = 64_000;

  static final ContentKeys CONTENT =
      ContentKeys.BASE.plus(
          Set.of(INPUT_SYSTEM, INPUT_USER, OUTPUT, "gen_ai.llm.context", TOOL_INPUT, TOOL_OUTPUT),
          List.of());

  static final VendorProfile<FiddlerSettings> PROFILE =
      new VendorProfile<>(
          "fiddler", FiddlerSettings.class, FiddlerSettings.defaults(), FiddlerProfile::mapper);

  private FiddlerProfile() {}

  private static VendorMapper mapper(FiddlerSettings settings, ContentPolicy content) {
    return new ProfileMapper(
        attrs -> attrs.put(APPLICATION_ID, AnyValues.ofString(settings.applicationId())),
        span -> map(span, settings),
        CONTENT,
        content,
        settings.rerootOrphans());
  }

  private static void map(SpanDraft span, FiddlerSettings settings) {
    // A valid type the sender chose stays; anything else would make Fiddler reject the trace.
    final String given = span.text(SPAN_TYPE);
    if (given == null || !SPAN_TYPES.contains(given)) {
      span.putString(SPAN_TYPE, spanType(span.kind()));
    }
    span.putStringIfAbsent(GenAiAttributes.AGENT_NAME, settings.agentName());
    final String conversation =
        span.trace().conversationId() != null
            ? span.trace().conversationId()
            : span.trace().traceIdHex();
    if (!conversation.isEmpty()) {
      span.putStringIfAbsent(GenAiAttributes.CONVERSATION_ID, conversation);
    }
    span.putStringIfAbsent(GenAiAttributes.USER_ID, span.trace().userId());
    if (!span.kind().isGenAi()) {
      return;
    }
    span.putStringIfAbsent(GenAiAttributes.LEGACY_SYSTEM, span.text(GenAiAttributes.PROVIDER_NAME));
    if (span.kind() == GenAiKind.TOOL) {
      putText(span, TOOL_INPUT, span.text(GenAiAttributes.TOOL_CALL_ARGUMENTS));
      putText(span, TOOL_OUTPUT, span.text(GenAiAttributes.TOOL_CALL_RESULT));
      return;
    }
    final List<Messages.Message> input =
        Messages.withSystemInstructions(
            Messages.parseSystemInstructions(span.text(GenAiAttributes.SYSTEM_INSTRUCTIONS)),
            Messages.parse(span.text(GenAiAttributes.INPUT_MESSAGES)));
    putText(span, INPUT_SYSTEM, joinText(input, "system"));
    // The newest user message is this call's prompt; earlier turns stay in gen_ai.input.messages
    // (the official plugin's choice, fiddler-coding-agent-plugin genai.go LLMCall).
    String user = null;
    for (Messages.Message m : input) {
      if (m.role().equals("user") && !m.text().isEmpty()) {
        user = m.text();
      }
    }
    putText(span, INPUT_USER, user);
    putText(
        span,
        OUTPUT,
        joinText(Messages.parse(span.text(GenAiAttributes.OUTPUT_MESSAGES)), "assistant"));
  }

  /** {@code llm}, {@code tool}, {@code agent} or {@code chain}: the values Fiddler accepts. */
  private static String spanType(GenAiKind kind) {
    return switch (kind) {
      case LLM, EMBEDDING -> "llm";
      case TOOL, RETRIEVER -> "tool";
      case AGENT -> "agent";
      case CHAIN, NONE -> "chain";
    };
  }

  private static String joinText(List<Messages.Message> messages, String role) {
    final StringBuilder sb = new StringBuilder();
    for (Messages.Message m : messages) {
      final String text = m.text();
      if (m.role().equals(role) && !text.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(text);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static void putText(SpanDraft span, String key, String text) {
    if (text != null && !text.isEmpty()) {
      span.putStringIfAbsent(key, truncate(text, MAX_TEXT_BYTES));
    }
  }

  /** Cuts to at most {@code maxBytes} of UTF-8 without splitting a character. */
  static String truncate(String s, int maxBytes) {
    final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return s;
    }
    int cut = maxBytes;
    while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return new String(bytes, 0, cut, StandardCharsets.UTF_8);
  }
}
