package dev.genainormalizer.processor.genai;

import dev.genainormalizer.processor.ProcessorFactory;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import java.util.Map;

/** Creates the {@code genai} processor. */
public final class GenAiProcessorFactory implements ProcessorFactory<GenAiProcessorConfig> {

  @Override
  public String type() {
    return "genai";
  }

  @Override
  public Class<GenAiProcessorConfig> configType() {
    return GenAiProcessorConfig.class;
  }

  @Override
  public GenAiProcessorConfig defaultConfig() {
    return GenAiProcessorConfig.defaults();
  }

  /**
   * Builds the price table once: the built-in table (if {@code cost.default_prices}), under {@code
   * cost.prices_file}, under {@code cost.prices}. The config is expected to be validated; entries
   * that fail validation are left out rather than failing here.
   */
  @Override
  public TraceProcessor create(GenAiProcessorConfig config, ProcessorSettings settings) {
    return new GenAiProcessor(
        config,
        priceTable(config.cost()),
        new GenAiProcessorTelemetry(settings.meterRegistry(), settings.id()));
  }

  static PriceTable priceTable(GenAiProcessorConfig.Cost cost) {
    final Map<String, GenAiProcessorConfig.ModelPrice> defaults =
        cost.defaultPrices() ? PriceTable.defaultPrices() : Map.of();
    final Map<String, GenAiProcessorConfig.ModelPrice> file =
        cost.pricesFile().isBlank()
            ? Map.of()
            : PriceTable.parse(cost.pricesFile(), "prices_file").prices();
    final Map<String, GenAiProcessorConfig.ModelPrice> inline =
        PriceTable.validate("prices", cost.prices()).isEmpty() ? cost.prices() : Map.of();
    return PriceTable.of(defaults, file, inline);
  }
}
