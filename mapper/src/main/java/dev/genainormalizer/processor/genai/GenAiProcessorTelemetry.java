package dev.genainormalizer.processor.genai;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.MeterSpec;
import dev.genainormalizer.semconv.GenAiAttributes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/** The meters of one {@code genai} processor, declared once on the injected registry. */
public final class GenAiProcessorTelemetry {
  static final String UNPARSED_MESSAGES = "genai_normalizer.processor.unparsed.messages";
  static final String UNPARSED_MESSAGES_DESCRIPTION =
      "Message attributes of Gen AI spans kept as they were because they are not JSON of a known shape";
  static final String FAILED_SPANS = "genai_normalizer.processor.failed.spans";
  static final String FAILED_SPANS_DESCRIPTION =
      "Gen AI spans passed on unchanged because normalizing them failed unexpectedly";
  static final String TAG_PROCESSOR = "processor";
  static final String TAG_ATTRIBUTE = "attribute";

  /** Every meter of this processor, for {@code docs/telemetry.md}. */
  public static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.counter(
              UNPARSED_MESSAGES,
              "attributes",
              UNPARSED_MESSAGES_DESCRIPTION,
              TAG_PROCESSOR,
              TAG_ATTRIBUTE),
          MeterSpec.counter(FAILED_SPANS, "spans", FAILED_SPANS_DESCRIPTION, TAG_PROCESSOR));

  private final Map<String, Counter> unparsed;
  private final Counter failedSpans;

  GenAiProcessorTelemetry(MeterRegistry registry, ComponentId processor) {
    final String id = processor.toString();
    this.unparsed =
        Map.of(
            GenAiAttributes.INPUT_MESSAGES,
                unparsedCounter(registry, id, GenAiAttributes.INPUT_MESSAGES),
            GenAiAttributes.OUTPUT_MESSAGES,
                unparsedCounter(registry, id, GenAiAttributes.OUTPUT_MESSAGES),
            GenAiAttributes.SYSTEM_INSTRUCTIONS,
                unparsedCounter(registry, id, GenAiAttributes.SYSTEM_INSTRUCTIONS));
    this.failedSpans =
        Counter.builder(FAILED_SPANS)
            .description(FAILED_SPANS_DESCRIPTION)
            .baseUnit("spans")
            .tag(TAG_PROCESSOR, id)
            .register(registry);
  }

  private static Counter unparsedCounter(
      MeterRegistry registry, String processor, String attribute) {
    return Counter.builder(UNPARSED_MESSAGES)
        .description(UNPARSED_MESSAGES_DESCRIPTION)
        .baseUnit("attributes")
        .tag(TAG_PROCESSOR, processor)
        .tag(TAG_ATTRIBUTE, attribute)
        .register(registry);
  }

  void unparsed(String attribute) {
    final Counter c = unparsed.get(attribute);
    if (c != null) {
      c.increment();
    }
  }

  void failedSpan() {
    failedSpans.increment();
  }
}
