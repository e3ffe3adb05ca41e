package dev.genainormalizer.app;

import dev.genainormalizer.config.MeterSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** The meters of a pipeline's journal of held spans ({@link HeldSpanJournal}), declared once. */
final class JournalTelemetry {
  static final String REQUESTS = "genai_normalizer.pipeline.journal.requests";
  static final String REQUESTS_DESCRIPTION =
      "Requests with held spans kept in the pipeline's journal until their spans are queued.";
  static final String CORRUPT_RECORDS = "genai_normalizer.pipeline.journal.corrupt_records";
  static final String CORRUPT_RECORDS_DESCRIPTION =
      "Torn or corrupt records of a pipeline's journal of held spans, skipped when read.";
  static final String TAG_PIPELINE = "pipeline";

  static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.gauge(REQUESTS, "", REQUESTS_DESCRIPTION, TAG_PIPELINE),
          MeterSpec.counter(CORRUPT_RECORDS, "", CORRUPT_RECORDS_DESCRIPTION, TAG_PIPELINE));

  private JournalTelemetry() {}

  /** The counter the journal reports skipped records to. */
  static Counter corruptRecords(MeterRegistry registry, String pipelineId) {
    return Counter.builder(CORRUPT_RECORDS)
        .description(CORRUPT_RECORDS_DESCRIPTION)
        .tag(TAG_PIPELINE, pipelineId)
        .register(registry);
  }

  static void register(MeterRegistry registry, String pipelineId, HeldSpanJournal journal) {
    Gauge.builder(REQUESTS, journal, HeldSpanJournal::size)
        .description(REQUESTS_DESCRIPTION)
        .tag(TAG_PIPELINE, pipelineId)
        .strongReference(true)
        .register(registry);
  }
}
