package dev.genainormalizer.processor.genai;

import static dev.genainormalizer.semconv.GenAiAttributes.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ConversationIdDefault;
import dev.genainormalizer.processor.genai.MessageNormalizer.Outcome;
import dev.genainormalizer.processor.genai.MessageNormalizer.Result;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** Normalizes one Gen AI span. Immutable and thread-safe; built once per processor. */
final class GenAiSpanNormalizer {
  private static final HexFormat HEX = HexFormat.of();

  private final GenAiProcessorConfig config;
  private final PriceTable prices;
  private final MessageNormalizer messages = new MessageNormalizer();

  /** Integer-valued attributes, written as {@code intValue} whatever encoding they arrive in. */
  private static final List<String> INT_KEYS =
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

  GenAiSpanNormalizer(GenAiProcessorConfig config, PriceTable prices) {
    this.config = config;
    this.prices = prices;
  }

  /**
   * Returns the normalized span.
   *
   * @param resourceAttributes the span's resource attributes, for conversation and user ids
   * @param unparsed told the key of each message attribute kept because it could not be read
   */
  Span normalize(Span span, List<KeyValue> resourceAttributes, Consumer<String> unparsed) {
    final Map<String, AnyValue> attrs = new LinkedHashMap<>();
    for (KeyValue kv : span.getAttributesList()) {
      attrs.putIfAbsent(kv.getKey(), kv.getValue());
    }
    final boolean noDuplicateKeys = attrs.size() == span.getAttributesCount();

    renameLegacy(attrs, LEGACY_SYSTEM, PROVIDER_NAME);
    renameLegacy(attrs, LEGACY_PROMPT_TOKENS, USAGE_INPUT_TOKENS);
    renameLegacy(attrs, LEGACY_COMPLETION_TOKENS, USAGE_OUTPUT_TOKENS);

    final List<String> spanFinishReasons =
        Optional.ofNullable(attrs.get(RESPONSE_FINISH_REASONS))
            .flatMap(AnyValues::asStringList)
            .orElse(List.of());

    List<JsonNode> systemParts = List.of();
    final AnyValue input = attrs.get(INPUT_MESSAGES);
    if (input != null) {
      final Result r = messages.input(input);
      apply(attrs, INPUT_MESSAGES, r, unparsed);
      systemParts = r.systemParts();
    }
    ResponseSummary response = ResponseSummary.NONE;
    final AnyValue output = attrs.get(OUTPUT_MESSAGES);
    if (output != null) {
      final Result r = messages.output(output, spanFinishReasons);
      apply(attrs, OUTPUT_MESSAGES, r, unparsed);
      response = r.response();
    }
    final AnyValue system = attrs.get(SYSTEM_INSTRUCTIONS);
    if (system != null) {
      apply(attrs, SYSTEM_INSTRUCTIONS, messages.systemInstructions(system), unparsed);
    } else if (config.splitSystemInstructions() && !systemParts.isEmpty()) {
      final ArrayNode parts = Json.nodes().arrayNode();
      systemParts.forEach(parts::add);
      attrs.put(SYSTEM_INSTRUCTIONS, AnyValues.ofString(Json.write(parts)));
    }

    fillFromResponse(attrs, response);
    for (String key : INT_KEYS) {
      final AnyValue v = attrs.get(key);
      if (v != null && !v.hasIntValue()) {
        AnyValues.asLong(v).ifPresent(n -> attrs.put(key, AnyValues.ofLong(n)));
      }
    }
    final AnyValue reasons = attrs.get(RESPONSE_FINISH_REASONS);
    if (reasons != null && !reasons.hasArrayValue()) {
      AnyValues.asStringList(reasons)
          .ifPresent(list -> attrs.put(RESPONSE_FINISH_REASONS, AnyValues.ofStrings(list)));
    }
    final OptionalLong in = count(attrs, USAGE_INPUT_TOKENS);
    final OptionalLong out = count(attrs, USAGE_OUTPUT_TOKENS);
    if (!attrs.containsKey(USAGE_TOTAL_TOKENS) && in.isPresent() && out.isPresent()) {
      attrs.put(USAGE_TOTAL_TOKENS, AnyValues.ofLong(in.getAsLong() + out.getAsLong()));
    }
    setConversationId(attrs, span, resourceAttributes);
    firstPresent(config.userId().from(), attrs, resourceAttributes)
        .ifPresent(id -> attrs.put(USER_ID, AnyValues.ofString(id)));
    addCost(attrs, in, out);

    if (noDuplicateKeys && unchanged(attrs, span.getAttributesList())) {
      return span;
    }
    return span.toBuilder()
        .clearAttributes()
        .addAllAttributes(attributes(attrs, span.getAttributesList()))
        .build();
  }

  /**
   * True when {@code attrs} holds exactly the (distinct) keys of {@code original}, with equal
   * values.
   */
  private static boolean unchanged(Map<String, AnyValue> attrs, List<KeyValue> original) {
    if (attrs.size() != original.size()) {
      return false;
    }
    for (KeyValue kv : original) {
      if (!kv.getValue().equals(attrs.get(kv.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The attribute list to write. An attribute still at its place with the very value it came with
   * (most of them) keeps its original pair, already built and sized for encoding; the others are
   * new pairs.
   */
  private static List<KeyValue> attributes(Map<String, AnyValue> attrs, List<KeyValue> original) {
    final List<KeyValue> out = new ArrayList<>(attrs.size());
    int i = 0;
    for (Map.Entry<String, AnyValue> e : attrs.entrySet()) {
      final KeyValue same = i < original.size() ? original.get(i) : null;
      i++;
      if (same != null && same.getValue() == e.getValue() && same.getKey().equals(e.getKey())) {
        out.add(same);
      } else {
        out.add(KeyValue.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build());
      }
    }
    return out;
  }

  private static void apply(
      Map<String, AnyValue> attrs, String key, Result r, Consumer<String> unparsed) {
    if (r.outcome() == Outcome.REWRITTEN) {
      attrs.put(key, AnyValues.ofString(r.json()));
    } else if (r.outcome() == Outcome.UNPARSED) {
      unparsed.accept(key);
    }
  }

  /**
   * Moves a legacy key's value to its current name, in the legacy key's place, unless the current
   * key is set; the legacy key goes either way (vendor profiles add legacy keys back where needed).
   */
  private static void renameLegacy(Map<String, AnyValue> attrs, String legacy, String current) {
    if (!attrs.containsKey(legacy)) {
      return;
    }
    final boolean keepCurrent = attrs.containsKey(current);
    final Map<String, AnyValue> copy = new LinkedHashMap<>(attrs);
    attrs.clear();
    copy.forEach(
        (k, v) -> {
          if (k.equals(legacy)) {
            if (!keepCurrent) {
              attrs.put(current, v);
            }
          } else {
            attrs.put(k, v);
          }
        });
  }

  private static void fillFromResponse(Map<String, AnyValue> attrs, ResponseSummary r) {
    if (r.id() != null) {
      attrs.putIfAbsent(RESPONSE_ID, AnyValues.ofString(r.id()));
    }
    if (r.model() != null) {
      attrs.putIfAbsent(RESPONSE_MODEL, AnyValues.ofString(r.model()));
    }
    if (!r.finishReasons().isEmpty()) {
      attrs.putIfAbsent(RESPONSE_FINISH_REASONS, AnyValues.ofStrings(r.finishReasons()));
    }
    putCountIfAbsent(attrs, USAGE_INPUT_TOKENS, r.inputTokens());
    putCountIfAbsent(attrs, USAGE_OUTPUT_TOKENS, r.outputTokens());
    putCountIfAbsent(attrs, USAGE_CACHE_READ_INPUT_TOKENS, r.cacheReadTokens());
    putCountIfAbsent(attrs, USAGE_CACHE_CREATION_INPUT_TOKENS, r.cacheCreationTokens());
    putCountIfAbsent(attrs, USAGE_REASONING_OUTPUT_TOKENS, r.reasoningTokens());
  }

  private static void putCountIfAbsent(Map<String, AnyValue> attrs, String key, Long value) {
    if (value != null) {
      attrs.putIfAbsent(key, AnyValues.ofLong(value));
    }
  }

  private static OptionalLong count(Map<String, AnyValue> attrs, String key) {
    final AnyValue v = attrs.get(key);
    return v == null ? OptionalLong.empty() : AnyValues.asLong(v);
  }

  private void setConversationId(Map<String, AnyValue> attrs, Span span, List<KeyValue> resource) {
    final Optional<String> found = firstPresent(config.conversationId().from(), attrs, resource);
    if (found.isPresent()) {
      attrs.put(CONVERSATION_ID, AnyValues.ofString(found.get()));
    } else if (!attrs.containsKey(CONVERSATION_ID)
        && config.conversationId().fallback() == ConversationIdDefault.TRACE_ID
        && !span.getTraceId().isEmpty()) {
      attrs.put(
          CONVERSATION_ID, AnyValues.ofString(HEX.formatHex(span.getTraceId().toByteArray())));
    }
  }

  /** The first of {@code keys} with a non-empty value on the span, else on the resource. */
  private static Optional<String> firstPresent(
      List<String> keys, Map<String, AnyValue> attrs, List<KeyValue> resource) {
    for (String key : keys) {
      final AnyValue v = attrs.get(key);
      final Optional<String> text = v == null ? Optional.empty() : AnyValues.scalarText(v);
      if (text.isPresent()) {
        return text;
      }
    }
    for (String key : keys) {
      for (KeyValue kv : resource) {
        if (kv.getKey().equals(key)) {
          final Optional<String> text = AnyValues.scalarText(kv.getValue());
          if (text.isPresent()) {
            return text;
          }
        }
      }
    }
    return Optional.empty();
  }

  private void addCost(Map<String, AnyValue> attrs, OptionalLong in, OptionalLong out) {
    if (prices.isEmpty() || attrs.containsKey(USAGE_COST) || (in.isEmpty() && out.isEmpty())) {
      return;
    }
    Optional<PriceTable.Price> price = Optional.empty();
    for (String key : List.of(RESPONSE_MODEL, REQUEST_MODEL)) {
      final AnyValue model = attrs.get(key);
      if (price.isEmpty() && model != null) {
        price = AnyValues.scalarText(model).flatMap(prices::find);
      }
    }
    if (price.isEmpty()) {
      return;
    }
    final PriceTable.Cost cost =
        PriceTable.cost(
            price.get(),
            in.orElse(0),
            out.orElse(0),
            count(attrs, USAGE_CACHE_READ_INPUT_TOKENS).orElse(0));
    attrs.put(USAGE_COST, AnyValues.ofDouble(cost.total()));
    attrs.put(USAGE_COST_INPUT, AnyValues.ofDouble(cost.input()));
    attrs.put(USAGE_COST_OUTPUT, AnyValues.ofDouble(cost.output()));
  }
}
