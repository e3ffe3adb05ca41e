package dev.genainormalizer.exporter.otlphttp;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.GenericProfiles;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code otlphttp}: OTLP/HTTP to any OTLP backend. */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  public static final String TYPE = "otlphttp";
  private static final Logger logger = LoggerFactory.getLogger(OtlpHttpExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<OtlpHttpExporterConfig> configType() {
    return OtlpHttpExporterConfig.class;
  }

  @Override
  public OtlpHttpExporterConfig defaultConfig() {
    return OtlpHttpExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(OtlpHttpExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSender sender =
        OtlpHttpSender.builder()
            .endpoint(config.tracesUri())
            .client(config.http())
            .encoding(config.encoding())
            .clock(settings.clock())
            .build();
    final MappingSender mapping =
        GenericProfiles.sender(
            settings.id().toString(), config.profile(), config.content(), sender, logger);
    return QueuedRetryingExporter.of(
        settings, mapping, config.http().retryOnFailure(), config.http().sendingQueue());
  }
}
