package dev.genainormalizer.exporter.otlp;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.GenericProfiles;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code otlp}: OTLP/gRPC to any OTLP backend. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {
  public static final String TYPE = "otlp";
  private static final Logger logger = LoggerFactory.getLogger(OtlpExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<OtlpExporterConfig> configType() {
    return OtlpExporterConfig.class;
  }

  @Override
  public OtlpExporterConfig defaultConfig() {
    return OtlpExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(OtlpExporterConfig config, ExporterSettings settings) {
    final OtlpGrpcSender sender =
        OtlpGrpcSender.builder()
            .endpoint(config.endpoint())
            .compression(config.compression())
            .headers(config.headers())
            .timeout(config.timeout())
            .tls(config.tls())
            .clock(settings.clock())
            .build();
    final MappingSender mapping =
        GenericProfiles.sender(
            settings.id().toString(), config.profile(), config.content(), sender, logger);
    return QueuedRetryingExporter.of(
        settings, mapping, config.retryOnFailure(), config.sendingQueue());
  }
}
