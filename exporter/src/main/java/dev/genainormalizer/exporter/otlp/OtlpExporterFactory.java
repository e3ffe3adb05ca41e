package dev.genainormalizer.exporter.otlp;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;

/** {@code otlp}: OTLP/gRPC to any OTLP backend. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {
  public static final String TYPE = "otlp";

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
    final OtlpGrpcSender sender = OtlpGrpcSender.builder()
        .endpoint(config.endpoint())
        .compression(config.compression())
        .headers(config.headers())
        .timeout(config.timeout())
        .clock(settings.clock())
        .build();
    return QueuedRetryingExporter.builder()
        .settings(settings)
        .sender(sender)
        .retry(config.retryOnFailure())
        .queue(config.sendingQueue())
        .description(sender.toString())
        .build();
  }
}
