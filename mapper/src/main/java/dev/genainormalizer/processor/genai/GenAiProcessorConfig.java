package dev.genainormalizer.processor.genai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genainormalizer.config.Validatable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code processors.genai}: how Gen AI spans are normalized.
 *
 * @param splitSystemInstructions also expose the input's system (and developer) messages as {@code
 *     gen_ai.system_instructions} when that attribute is absent; default false
 * @param conversationId where {@code gen_ai.conversation.id} comes from
 * @param userId where {@code user.id} comes from
 * @param cost the price table for {@code gen_ai.usage.cost}
 */
public record GenAiProcessorConfig(
    boolean splitSystemInstructions, ConversationId conversationId, UserId userId, Cost cost)
    implements Validatable {

  public GenAiProcessorConfig {
    conversationId = conversationId == null ? ConversationId.defaults() : conversationId;
    userId = userId == null ? UserId.defaults() : userId;
    cost = cost == null ? Cost.defaults() : cost;
  }

  public static GenAiProcessorConfig defaults() {
    return new GenAiProcessorConfig(
        false, ConversationId.defaults(), UserId.defaults(), Cost.defaults());
  }

  /** The nested blocks validate themselves (the validator prefixes their path). */
  @Override
  public List<String> validate() {
    return List.of();
  }

  /** What {@code conversation_id} uses when none of the {@code from} attributes is present. */
  public enum ConversationIdDefault {
    /** The span's trace id as 32 lowercase hex digits. */
    @JsonProperty("trace_id")
    TRACE_ID,
    /** Leave {@code gen_ai.conversation.id} unset. */
    @JsonProperty("none")
    NONE
  }

  /**
   * {@code conversation_id}.
   *
   * @param from attribute keys tried in order, first on the span, then on its resource; default
   *     [gen_ai.conversation.id, session.id]
   * @param fallback YAML key {@code default} (a Java keyword, hence the component name): used when
   *     none of {@code from} is present: trace_id (default) or none
   */
  public record ConversationId(
      List<String> from, @JsonProperty("default") ConversationIdDefault fallback)
      implements Validatable {
    public ConversationId {
      from =
          from == null ? List.of("gen_ai.conversation.id", "session.id") : copyAllowingNulls(from);
      fallback = fallback == null ? ConversationIdDefault.TRACE_ID : fallback;
    }

    public static ConversationId defaults() {
      return new ConversationId(null, null);
    }

    @Override
    public List<String> validate() {
      return validateKeys(from);
    }
  }

  /**
   * {@code user_id}.
   *
   * @param from attribute keys tried in order, first on the span, then on its resource; default
   *     [user.id, enduser.id]. There is no default value.
   */
  public record UserId(List<String> from) implements Validatable {
    public UserId {
      from = from == null ? List.of("user.id", "enduser.id") : copyAllowingNulls(from);
    }

    public static UserId defaults() {
      return new UserId(null);
    }

    @Override
    public List<String> validate() {
      return validateKeys(from);
    }
  }

  /**
   * {@code cost}: prices in USD per million tokens. Per model, {@code prices} wins over {@code
   * prices_file}, which wins over the built-in table.
   *
   * @param defaultPrices use the built-in price table under the others; default true
   * @param prices inline prices by model id (or model id prefix); default empty
   * @param pricesFile the text of a price table in JSON or YAML, usually given as {@code
   *     ${file:/path/prices.yaml}}; default empty
   */
  public record Cost(boolean defaultPrices, Map<String, ModelPrice> prices, String pricesFile)
      implements Validatable {
    public Cost {
      prices =
          prices == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(prices));
      pricesFile = pricesFile == null ? "" : pricesFile;
    }

    public static Cost defaults() {
      return new Cost(true, null, null);
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>(PriceTable.validate("prices", prices));
      if (!pricesFile.isBlank()) {
        errors.addAll(PriceTable.parse(pricesFile, "prices_file").errors());
      }
      return errors;
    }
  }

  /**
   * One model's prices in USD per million tokens.
   *
   * @param input price of an uncached input token; required, >= 0
   * @param output price of an output token (reasoning included); required, >= 0
   * @param cachedInput price of a cached (cache read) input token; optional, defaults to {@code
   *     input}
   */
  public record ModelPrice(Double input, Double output, Double cachedInput) {}

  // List.copyOf would throw on a YAML null; validate() reports it instead.
  private static List<String> copyAllowingNulls(List<String> list) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(list));
  }

  private static List<String> validateKeys(List<String> from) {
    final List<String> errors = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      final String key = from.get(i);
      if (key == null || key.isBlank()) {
        errors.add(
            "from["
                + i
                + "]: "
                + (key == null ? "null" : "'" + key + "'")
                + " (expected: an attribute key)");
      }
    }
    return errors;
  }
}
