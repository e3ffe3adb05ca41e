package dev.genainormalizer.processor.genai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ModelPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Model prices in USD per million tokens, looked up by exact model id or else by the longest
 * matching prefix (so {@code gpt-4o-mini-2024-07-18} finds {@code gpt-4o-mini}, not {@code
 * gpt-4o}). Immutable.
 */
final class PriceTable {
  static final String DEFAULT_RESOURCE = "default-prices.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PER_MILLION_DIGITS = 6;
  private static final Set<String> PRICE_KEYS = Set.of("input", "output", "cached_input");

  /** A model's prices; {@code cachedInput} is {@code input} when the table gives none. */
  record Price(String model, BigDecimal input, BigDecimal output, BigDecimal cachedInput) {}

  /** A computed cost in USD. */
  record Cost(double input, double output, double total) {}

  /** The outcome of reading a price table: its entries, or what is wrong with it. */
  record Parsed(Map<String, ModelPrice> prices, List<String> errors) {}

  static final PriceTable EMPTY = new PriceTable(List.of());

  // Longest key first, so the first prefix that matches is the longest one.
  private final List<Price> byLengthDesc;

  private PriceTable(List<Price> prices) {
    final List<Price> sorted = new ArrayList<>(prices);
    sorted.sort(Comparator.comparingInt((Price p) -> p.model().length()).reversed());
    this.byLengthDesc = List.copyOf(sorted);
  }

  /**
   * Layers tables: a model in a later map replaces the same model in an earlier one. Entries must
   * be valid ({@link #validate}).
   */
  @SafeVarargs
  static PriceTable of(Map<String, ModelPrice>... layers) {
    final Map<String, Price> merged = new LinkedHashMap<>();
    for (Map<String, ModelPrice> layer : layers) {
      layer.forEach(
          (model, p) -> {
            final String key = model.toLowerCase(Locale.ROOT);
            final BigDecimal input = BigDecimal.valueOf(p.input());
            final BigDecimal cached =
                p.cachedInput() == null ? input : BigDecimal.valueOf(p.cachedInput());
            merged.put(key, new Price(key, input, BigDecimal.valueOf(p.output()), cached));
          });
    }
    return new PriceTable(new ArrayList<>(merged.values()));
  }

  /** The built-in table shipped as a resource beside this class. */
  static Map<String, ModelPrice> defaultPrices() {
    try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      final Parsed parsed =
          parse(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
              DEFAULT_RESOURCE);
      if (!parsed.errors().isEmpty()) {
        throw new IllegalStateException("invalid " + DEFAULT_RESOURCE + ": " + parsed.errors());
      }
      return parsed.prices();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<Price> find(String model) {
    if (model == null || model.isEmpty()) {
      return Optional.empty();
    }
    final String id = model.toLowerCase(Locale.ROOT);
    for (Price p : byLengthDesc) {
      if (id.startsWith(p.model())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  boolean isEmpty() {
    return byLengthDesc.isEmpty();
  }

  /**
   * The cost of a call. Cached input tokens are priced at the cached rate and taken out of the
   * input count; a missing count is 0.
   */
  static Cost cost(Price price, long inputTokens, long outputTokens, long cachedInputTokens) {
    final long cached = Math.max(0, Math.min(cachedInputTokens, inputTokens));
    // Prices are per million tokens: moving the decimal point is the exact division by a million,
    // without divide()'s long division and trailing-zero stripping on every Gen AI span.
    final BigDecimal input =
        price
            .input()
            .multiply(BigDecimal.valueOf(inputTokens - cached))
            .add(price.cachedInput().multiply(BigDecimal.valueOf(cached)))
            .scaleByPowerOfTen(-PER_MILLION_DIGITS);
    final BigDecimal output =
        price
            .output()
            .multiply(BigDecimal.valueOf(outputTokens))
            .scaleByPowerOfTen(-PER_MILLION_DIGITS);
    return new Cost(input.doubleValue(), output.doubleValue(), input.add(output).doubleValue());
  }

  /** Checks inline prices; messages start with {@code key[model]}. */
  static List<String> validate(String key, Map<String, ModelPrice> prices) {
    final List<String> errors = new ArrayList<>();
    prices.forEach(
        (model, p) -> {
          final String where = key + "[" + model + "]";
          if (model == null || model.isBlank()) {
            errors.add(
                key + "['" + model + "']: empty model id (expected: a model id or id prefix)");
          }
          if (p == null) {
            errors.add(where + ": required (expected: input and output prices)");
            return;
          }
          checkPrice(errors, where + ".input", p.input(), true);
          checkPrice(errors, where + ".output", p.output(), true);
          checkPrice(errors, where + ".cached_input", p.cachedInput(), false);
        });
    return errors;
  }

  private static void checkPrice(
      List<String> errors, String where, Double value, boolean required) {
    if (value == null) {
      if (required) {
        errors.add(where + ": required (expected: USD per million tokens, >= 0)");
      }
    } else if (value.isNaN() || value.isInfinite() || value < 0) {
      errors.add(where + ": " + format(value) + " (expected: >= 0)");
    }
  }

  private static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /**
   * Reads a price table given as JSON or YAML text: a map of model id to {@code {input, output,
   * cached_input}}, or an object holding that map under {@code models} (other keys, such as {@code
   * as_of}, are ignored). Never throws; problems come back as messages starting with {@code key}.
   */
  static Parsed parse(String text, String key) {
    final Object tree;
    try {
      tree = readTree(text);
    } catch (RuntimeException | IOException e) {
      return failed(key + ": not valid JSON or YAML (" + firstLine(e.getMessage()) + ")");
    }
    if (!(tree instanceof Map<?, ?> root)) {
      return failed(
          key
              + ": expected a map of model id to prices, got "
              + (tree == null ? "nothing" : "a " + kind(tree))
              + " (a file is given as ${file:/path/prices.yaml})");
    }
    Object models = root;
    if (root.containsKey("models")) {
      models = root.get("models");
      key = key + ".models";
      if (!(models instanceof Map<?, ?>)) {
        return failed(key + ": expected a map of model id to prices");
      }
    }
    final List<String> errors = new ArrayList<>();
    final Map<String, ModelPrice> prices = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) models).entrySet()) {
      final String model = String.valueOf(e.getKey());
      final String where = key + "[" + model + "]";
      if (!(e.getValue() instanceof Map<?, ?> entry)) {
        errors.add(where + ": expected a map with input, output and optional cached_input");
        continue;
      }
      boolean ok = true;
      for (Object k : entry.keySet()) {
        if (!PRICE_KEYS.contains(String.valueOf(k))) {
          errors.add(where + ": unknown key '" + k + "' (expected: input, output, cached_input)");
          ok = false;
        }
      }
      final Double[] values = new Double[3];
      final String[] names = {"input", "output", "cached_input"};
      for (int i = 0; i < 3; i++) {
        final Object v = entry.get(names[i]);
        if (v == null) {
          continue;
        }
        if (v instanceof Number n) {
          values[i] = n.doubleValue();
        } else {
          errors.add(where + "." + names[i] + ": '" + v + "' (expected: a number)");
          ok = false;
        }
      }
      if (ok) {
        prices.put(model, new ModelPrice(values[0], values[1], values[2]));
      }
    }
    errors.addAll(validate(key, prices));
    return new Parsed(errors.isEmpty() ? Map.copyOf(prices) : Map.of(), List.copyOf(errors));
  }

  private static Object readTree(String text) throws IOException {
    final String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      return JSON.readValue(trimmed, Object.class);
    }
    final LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options)).load(trimmed);
  }

  private static Parsed failed(String message) {
    return new Parsed(Map.of(), List.of(message));
  }

  private static String kind(Object o) {
    if (o instanceof List<?>) {
      return "list";
    }
    return o instanceof String ? "string" : o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    final int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
