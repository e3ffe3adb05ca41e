package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dynatrace}: OTLP/HTTP protobuf to Dynatrace with the {@code dynatrace} profile, in requests
 * of at most {@link VendorProfiles#DYNATRACE_MAX_REQUEST_BYTES}.
 */
public final class DynatraceExporterFactory implements ExporterFactory<DynatraceExporterConfig> {
  public static final String TYPE = "dynatrace";
  /** Spans dropped because a single span is larger than the backend's request limit. */
  public static final String OVERSIZED_SPANS = "genai_normalizer.exporter.oversized.spans";
  private static final Logger logger = LoggerFactory.getLogger(DynatraceExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<DynatraceExporterConfig> configType() {
    return DynatraceExporterConfig.class;
  }

  @Override
  public DynatraceExporterConfig defaultConfig() {
    return DynatraceExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(DynatraceExporterConfig config, ExporterSettings settings) {
    return create(config, settings, VendorProfiles.DYNATRACE_MAX_REQUEST_BYTES);
  }

  TraceExporter create(DynatraceExporterConfig config, ExporterSettings settings, int maxRequestBytes) {
    final String id = settings.id().toString();
    final OtlpHttpSender http = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .addHeader("authorization", config.authorization())
        .tls(config.tls())
        .clock(settings.clock())
        .build();
    final MappingSender mapping = new MappingSender(id, "Dynatrace", TYPE,
        VendorProfiles.DYNATRACE.mapper(config.content()), config.content(), http, logger);
    final Counter oversized = Counter.builder(OVERSIZED_SPANS)
        .description("Spans dropped because one span alone is over the backend's request size limit.")
        .tag(ExporterTelemetry.TAG_EXPORTER, id)
        .register(settings.meterRegistry());
    final SplittingSender sender =
        new SplittingSender(mapping, http, maxRequestBytes, id, oversized, logger, settings.clock());
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
