package dev.genainormalizer.processor.genai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ModelPrice;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  @Test
  void exactIdElseLongestPrefix() {
    final PriceTable table = PriceTable.of(PriceTable.defaultPrices());
    assertThat(model(table, "gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini");
    assertThat(model(table, "gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
    assertThat(model(table, "gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
    assertThat(model(table, "gpt-4.1-mini-2025-04-14")).isEqualTo("gpt-4.1-mini");
    assertThat(model(table, "o3-mini-2025-01-31")).isEqualTo("o3-mini");
    assertThat(model(table, "claude-opus-4-1-20250805")).isEqualTo("claude-opus-4");
    assertThat(model(table, "claude-opus-4-5-20251101")).isEqualTo("claude-opus-4-5");
    assertThat(model(table, "Claude-3-5-Haiku-20241022")).isEqualTo("claude-3-5-haiku");
    assertThat(table.find("llama-3-70b")).isEmpty();
    assertThat(table.find("")).isEmpty();
    assertThat(table.find(null)).isEmpty();
  }

  @Test
  void laterLayersWinPerModel() {
    final PriceTable table =
        PriceTable.of(
            Map.of("a", new ModelPrice(1.0, 1.0, null), "b", new ModelPrice(2.0, 2.0, null)),
            Map.of("a", new ModelPrice(3.0, 4.0, 0.5)));
    assertThat(table.find("a").orElseThrow().input()).isEqualByComparingTo("3");
    assertThat(table.find("a").orElseThrow().cachedInput()).isEqualByComparingTo("0.5");
    assertThat(table.find("b").orElseThrow().input()).isEqualByComparingTo("2");
    // no cached price: cached tokens cost the input price
    assertThat(table.find("b").orElseThrow().cachedInput()).isEqualByComparingTo("2");
  }

  @Test
  void costIsExactDecimalArithmetic() {
    final PriceTable.Price price =
        new PriceTable.Price(
            "m", new BigDecimal("0.15"), new BigDecimal("0.6"), new BigDecimal("0.075"));
    final PriceTable.Cost cost = PriceTable.cost(price, 1_000_000, 3, 400_000);
    // 600000 * 0.15 + 400000 * 0.075 = 120000 USD/M = 0.12 USD
    assertThat(cost.input()).isEqualTo(0.12);
    assertThat(cost.output()).isEqualTo(0.0000018);
    assertThat(cost.total()).isEqualTo(0.1200018);
    // more cached than input tokens (bad data) is capped at the input count
    assertThat(PriceTable.cost(price, 10, 0, 50).input()).isEqualTo(0.00000075);
  }

  @Test
  void costEqualsTheExactQuotientByAMillion() {
    // The cost moves the decimal point instead of dividing: the doubles must be those of the exact
    // decimal quotient, for prices as the table holds them (from doubles) and any token counts.
    final java.util.SplittableRandom random = new java.util.SplittableRandom(13);
    final BigDecimal million = BigDecimal.valueOf(1_000_000);
    for (int i = 0; i < 10_000; i++) {
      final BigDecimal in = BigDecimal.valueOf(random.nextInt(100_000) / 1000.0);
      final BigDecimal out = BigDecimal.valueOf(random.nextDouble() * 100);
      final BigDecimal cachedPrice = BigDecimal.valueOf(random.nextInt(1000) / 10_000.0);
      final long input = random.nextLong(0, 10_000_000);
      final long output = random.nextLong(0, 1_000_000);
      final long cached = random.nextLong(0, input + 1);
      final PriceTable.Cost cost =
          PriceTable.cost(new PriceTable.Price("m", in, out, cachedPrice), input, output, cached);
      final BigDecimal exactIn =
          in.multiply(BigDecimal.valueOf(input - cached))
              .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
              .divide(million);
      final BigDecimal exactOut = out.multiply(BigDecimal.valueOf(output)).divide(million);
      assertThat(cost.input()).isEqualTo(exactIn.doubleValue());
      assertThat(cost.output()).isEqualTo(exactOut.doubleValue());
      assertThat(cost.total()).isEqualTo(exactIn.add(exactOut).doubleValue());
    }
  }

  @Test
  void readsJsonAndYamlTables() {
    assertThat(PriceTable.parse("{\"m\": {\"input\": 1, \"output\": 2}}", "f").prices())
        .containsEntry("m", new ModelPrice(1.0, 2.0, null));
    assertThat(
            PriceTable.parse("m:\n  input: 1.5\n  output: 2\n  cached_input: 0.1\n", "f").prices())
        .containsEntry("m", new ModelPrice(1.5, 2.0, 0.1));
    assertThat(PriceTable.parse("note: x\nmodels:\n  m: {input: 1, output: 2}\n", "f").prices())
        .containsOnlyKeys("m");
    assertThat(PriceTable.parse("m: {input: one, output: 2}", "f").errors())
        .containsExactly("f[m].input: 'one' (expected: a number)");
    assertThat(PriceTable.parse("m: 3", "f").errors())
        .containsExactly("f[m]: expected a map with input, output and optional cached_input");
  }

  @Test
  void theShippedTableIsValidAndDated() throws Exception {
    final Map<String, ModelPrice> prices = PriceTable.defaultPrices();
    assertThat(prices)
        .containsKeys(
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "o1",
            "o3-mini",
            "o4-mini",
            "gpt-5",
            "claude-3-5-haiku",
            "claude-3-5-sonnet",
            "claude-sonnet-4",
            "claude-opus-4");
    assertThat(prices.get("gpt-4o-mini")).isEqualTo(new ModelPrice(0.15, 0.6, 0.075));
    assertThat(PriceTable.validate("default", prices)).isEmpty();
    try (var in = PriceTable.class.getResourceAsStream(PriceTable.DEFAULT_RESOURCE)) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("prices as of 2026-11 — verify before relying on them; override with prices:");
    }
  }

  private static String model(PriceTable table, String id) {
    return table.find(id).orElseThrow().model();
  }
}
