package dev.genainormalizer.exporter.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.semconv.GenAiAttributes;
import dev.genainormalizer.semconv.GenAiKind;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code phoenix} and {@code openinference} profiles: explicit OpenInference keys next to the
 * current {@code gen_ai.*} ones, so Phoenix shows the span whatever its version and however strict
 * its own gen_ai conversion is (vendors.md §6 "Translation the forwarder should do" 4; the keys are
 * the OpenAI instrumentor's, vendors.md §3 "OpenInference attributes"). OpenObserve reuses the span
 * step for its OpenInference mirror.
 */
final class OpenInferenceProfile {
  static final String SPAN_KIND = "openinference.span.kind";
  static final String PROJECT = "openinference.project.name";
  static final String INPUT_MESSAGES = "llm.input_messages.";
  static final String OUTPUT_MESSAGES = "llm.output_messages.";

  static final ContentKeys CONTENT =
      ContentKeys.BASE.plus(
          Set.of("input.value", "input.mime_type", "output.value", "output.mime_type"),
          List.of(INPUT_MESSAGES, OUTPUT_MESSAGES));

  static final VendorProfile<OpenInferenceSettings> PHOENIX =
      new VendorProfile<>(
          "phoenix",
          OpenInferenceSettings.class,
          OpenInferenceSettings.phoenixDefaults(),
          OpenInferenceProfile::mapper);

  static final VendorProfile<OpenInferenceSettings> OPENINFERENCE =
      new VendorProfile<>(
          "openinference",
          OpenInferenceSettings.class,
          OpenInferenceSettings.openInferenceDefaults(),
          OpenInferenceProfile::mapper);

  private OpenInferenceProfile() {}

  private static VendorMapper mapper(OpenInferenceSettings settings, ContentPolicy content) {
    final ProfileMapper.ResourceStep resource =
        settings.project().isEmpty()
            ? ProfileMapper.ResourceStep.NONE
            : attrs -> attrs.put(PROJECT, AnyValues.ofString(settings.project()));
    return new ProfileMapper(resource, OpenInferenceProfile::mapAll, CONTENT, content, false);
  }

  /** Every span: Gen AI spans get the full mirror, others kind CHAIN plus session and user. */
  static void mapAll(SpanDraft span) {
    if (span.kind().isGenAi()) {
      mapGenAi(span);
    } else {
      span.putStringIfAbsent(SPAN_KIND, "CHAIN");
    }
    span.putStringIfAbsent(GenAiAttributes.SESSION_ID, span.trace().conversationId());
    span.putStringIfAbsent(GenAiAttributes.USER_ID, span.trace().userId());
  }

  /** The OpenInference mirror of one Gen AI span. */
  static void mapGenAi(SpanDraft span) {
    span.putStringIfAbsent(SPAN_KIND, span.kind().name());
    final String model =
        span.text(GenAiAttributes.RESPONSE_MODEL) != null
            ? span.text(GenAiAttributes.RESPONSE_MODEL)
            : span.text(GenAiAttributes.REQUEST_MODEL);
    span.putStringIfAbsent("llm.model_name", model);
    final String provider = span.text(GenAiAttributes.PROVIDER_NAME);
    if (provider != null) {
      span.putStringIfAbsent("llm.provider", Providers.openInferenceProvider(provider));
      span.putStringIfAbsent("llm.system", Providers.openInferenceSystem(provider));
    }
    putInvocationParameters(span);
    tokens(span);
    final List<String> finish = span.strings(GenAiAttributes.RESPONSE_FINISH_REASONS);
    if (!finish.isEmpty()) {
      span.putStringIfAbsent("llm.finish_reason", finish.get(0));
    }
    if (span.kind() == GenAiKind.TOOL) {
      span.putStringIfAbsent("tool.name", span.text(GenAiAttributes.TOOL_NAME));
      value(span, "input", span.text(GenAiAttributes.TOOL_CALL_ARGUMENTS));
      value(span, "output", span.text(GenAiAttributes.TOOL_CALL_RESULT));
      return;
    }
    final String input = span.text(GenAiAttributes.INPUT_MESSAGES);
    final String output = span.text(GenAiAttributes.OUTPUT_MESSAGES);
    final List<Messages.Message> system =
        Messages.parseSystemInstructions(span.text(GenAiAttributes.SYSTEM_INSTRUCTIONS));
    flatten(span, INPUT_MESSAGES, Messages.withSystemInstructions(system, Messages.parse(input)));
    flatten(span, OUTPUT_MESSAGES, Messages.parse(output));
    value(span, "input", input);
    value(span, "output", output);
  }

  private static void tokens(SpanDraft span) {
    final OptionalLong in = span.integer(GenAiAttributes.USAGE_INPUT_TOKENS);
    final OptionalLong out = span.integer(GenAiAttributes.USAGE_OUTPUT_TOKENS);
    OptionalLong total = span.integer(GenAiAttributes.USAGE_TOTAL_TOKENS);
    if (total.isEmpty() && in.isPresent() && out.isPresent()) {
      total = OptionalLong.of(in.getAsLong() + out.getAsLong());
    }
    putIfAbsent(span, "llm.token_count.prompt", in);
    putIfAbsent(span, "llm.token_count.completion", out);
    putIfAbsent(span, "llm.token_count.total", total);
    putIfAbsent(
        span,
        "llm.token_count.prompt_details.cache_read",
        span.integer(GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS));
    putIfAbsent(
        span,
        "llm.token_count.prompt_details.cache_write",
        span.integer(GenAiAttributes.USAGE_CACHE_CREATION_INPUT_TOKENS));
    putIfAbsent(
        span,
        "llm.token_count.completion_details.reasoning",
        span.integer(GenAiAttributes.USAGE_REASONING_OUTPUT_TOKENS));
    AnyValues.asDouble(span.get(GenAiAttributes.USAGE_COST))
        .ifPresent(
            cost -> {
              if (!span.has("llm.cost.total")) {
                span.put("llm.cost.total", AnyValues.ofDouble(cost));
              }
            });
  }

  private static void putIfAbsent(SpanDraft span, String key, OptionalLong value) {
    if (!span.has(key)) {
      span.putInteger(key, value);
    }
  }

  /** {@code llm.invocation_parameters}: the request parameters but the model, as a JSON object. */
  private static void putInvocationParameters(SpanDraft span) {
    final ObjectNode params = Messages.JSON.createObjectNode();
    for (Map.Entry<String, AnyValue> e : span.attributes().entrySet()) {
      final String key = e.getKey();
      if (key.startsWith(GenAiAttributes.REQUEST_PREFIX)
          && !key.equals(GenAiAttributes.REQUEST_MODEL)) {
        params.set(
            key.substring(GenAiAttributes.REQUEST_PREFIX.length()), AnyValues.toJson(e.getValue()));
      }
    }
    if (!params.isEmpty()) {
      try {
        span.putStringIfAbsent(
            "llm.invocation_parameters", Messages.JSON.writeValueAsString(params));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree could not be written", e);
      }
    }
  }

  /** {@code input.value}/{@code output.value} with a mime type that says whether it is JSON. */
  private static void value(SpanDraft span, String prefix, String value) {
    if (value == null || span.has(prefix + ".value")) {
      return;
    }
    span.putString(prefix + ".value", value);
    span.putString(
        prefix + ".mime_type", Messages.isJson(value) ? "application/json" : "text/plain");
  }

  /**
   * {@code llm.{input|output}_messages.{i}.message.*}: role, name, content (one text part) or
   * contents (several), tool calls, and for tool answers the call id and the answer as content.
   */
  private static void flatten(SpanDraft span, String prefix, List<Messages.Message> messages) {
    if (messages.isEmpty()
        || span.attributes().keySet().stream().anyMatch(k -> k.startsWith(prefix))) {
      return;
    }
    for (int i = 0; i < messages.size(); i++) {
      final Messages.Message m = messages.get(i);
      final String p = prefix + i + ".message.";
      span.putString(p + "role", m.role());
      span.putString(p + "name", m.name());
      final List<Messages.Part> texts = m.parts("text");
      if (texts.size() == 1) {
        span.putString(p + "content", texts.get(0).content());
      } else {
        for (int j = 0; j < texts.size(); j++) {
          span.putString(p + "contents." + j + ".message_content.type", "text");
          span.putString(p + "contents." + j + ".message_content.text", texts.get(j).content());
        }
      }
      final List<Messages.Part> calls = m.parts("tool_call");
      for (int k = 0; k < calls.size(); k++) {
        final String c = p + "tool_calls." + k + ".tool_call.";
        span.putString(c + "id", calls.get(k).id());
        span.putString(c + "function.name", calls.get(k).name());
        span.putString(c + "function.arguments", calls.get(k).arguments());
      }
      final List<Messages.Part> answers = m.parts("tool_call_response");
      if (!answers.isEmpty()) {
        span.putString(p + "tool_call_id", answers.get(0).id());
        if (texts.isEmpty()) {
          span.putString(p + "content", answers.get(0).response());
        }
      }
    }
  }
}
