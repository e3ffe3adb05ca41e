package dev.genainormalizer.processor.genai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ConversationIdDefault;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ModelPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Binds testdata YAML with the real config loader, on the factory's defaults. */
class GenAiProcessorConfigTest {

  @Test
  void defaults() {
    final GenAiProcessorConfig config = GenAiProcessorConfig.defaults();
    assertThat(config.splitSystemInstructions()).isFalse();
    assertThat(config.conversationId().from())
        .containsExactly("gen_ai.conversation.id", "session.id");
    assertThat(config.conversationId().fallback()).isEqualTo(ConversationIdDefault.TRACE_ID);
    assertThat(config.userId().from()).containsExactly("user.id", "enduser.id");
    assertThat(config.cost().defaultPrices()).isTrue();
    assertThat(config.cost().prices()).isEmpty();
    assertThat(config.cost().pricesFile()).isEmpty();
    assertThat(config.validate()).isEmpty();
    assertThat(new GenAiProcessorFactory().defaultConfig()).isEqualTo(config);
    assertThat(new GenAiProcessorConfig(false, null, null, null)).isEqualTo(config);
  }

  @Test
  void emptyBlockIsTheDefaults() throws ConfigException {
    assertThat(load("default.yaml")).isEqualTo(GenAiProcessorConfig.defaults());
  }

  @Test
  void everyKeyBinds() throws ConfigException {
    final GenAiProcessorConfig config = load("config.yaml");
    assertThat(config.splitSystemInstructions()).isTrue();
    assertThat(config.conversationId().from()).containsExactly("thread.id", "session.id");
    assertThat(config.conversationId().fallback()).isEqualTo(ConversationIdDefault.NONE);
    assertThat(config.userId().from()).containsExactly("app.user");
    assertThat(config.cost().defaultPrices()).isFalse();
    assertThat(config.cost().prices())
        .containsExactly(
            Map.entry("gpt-4o", new ModelPrice(2.5, 10.0, 1.25)),
            Map.entry("my-model", new ModelPrice(0.0, 0.5, null)));
    assertThat(config.cost().pricesFile()).contains("claude-sonnet-4");

    final PriceTable table = GenAiProcessorFactory.priceTable(config.cost());
    assertThat(table.find("claude-sonnet-4-20250514")).isPresent();
    assertThat(table.find("gpt-4o-mini"))
        .get()
        .extracting(PriceTable.Price::model)
        .isEqualTo("gpt-4o");
    // default_prices: false, so the built-in table is not there
    assertThat(table.find("o3-mini")).isEmpty();
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "bad_negative_price.yaml", List.of("cost.prices.gpt-4o.input: -1 (expected: >= 0)")),
        Arguments.of(
            "bad_missing_output.yaml",
            List.of(
                "cost.prices.gpt-4o.output: required (expected: USD per million tokens, >= 0)")),
        Arguments.of(
            "bad_empty_from.yaml",
            List.of(
                "conversation_id.from[0]: '' (expected: an attribute key)",
                "user_id.from[1]: ' ' (expected: an attribute key)")),
        Arguments.of(
            "bad_prices_file_path.yaml",
            List.of(
                "cost.prices_file: expected a map of model id to prices, got a string"
                    + " (a file is given as ${file:/path/prices.yaml})")),
        Arguments.of(
            "bad_prices_file_entry.yaml",
            List.of(
                "cost.prices_file.models.o3: unknown key 'cache' (expected: input, output, cached_input)",
                "cost.prices_file.models.gpt-4o.output: -2 (expected: >= 0)")),
        Arguments.of(
            "bad_prices_file_syntax.yaml", List.of("cost.prices_file: not valid JSON or YAML")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void eachRuleHasAMessageNamingTheKey(String file, List<String> expected) {
    final List<String> errors = loadErrors(file);
    assertThat(errors).hasSameSizeAs(expected);
    for (String message : expected) {
      assertThat(errors).anySatisfy(e -> assertThat(e).startsWith(message));
    }
  }

  @Test
  void nanAndInfinitePricesAreRejected() {
    assertThat(
            PriceTable.validate(
                "prices", Map.of("m", new ModelPrice(Double.NaN, Double.POSITIVE_INFINITY, -0.5))))
        .containsExactly(
            "prices[m].input: NaN (expected: >= 0)",
            "prices[m].output: Infinity (expected: >= 0)",
            "prices[m].cached_input: -0.5 (expected: >= 0)");
  }

  @Test
  void unknownKeysAndValuesFailToBind() {
    assertThatThrownBy(() -> load("typo_key.yaml"))
        .hasMessageContaining("split_system_instruction");
    assertThatThrownBy(() -> load("typo_default.yaml")).hasMessageContaining("traceid");
  }

  // ---- the real loader, as it binds this block inside a whole config

  private static final GenAiProcessorFactory FACTORY = new GenAiProcessorFactory();

  private static GenAiProcessorConfig load(String file) throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(FACTORY)))
        .loadComponent(FACTORY, read(file), Map.of());
  }

  /** Every error the loader reports for a file, as {@code path: message}, without the line. */
  private static List<String> loadErrors(String file) {
    try {
      load(file);
      return List.of();
    } catch (ConfigException e) {
      return e.errors().stream()
          .map(err -> err.path().substring("processors.genai.".length()) + ": " + err.message())
          .toList();
    }
  }

  private static String read(String file) {
    try (InputStream in = GenAiProcessorConfigTest.class.getResourceAsStream("testdata/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
