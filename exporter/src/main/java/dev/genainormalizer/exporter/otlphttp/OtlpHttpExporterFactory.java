package dev.genainormalizer.exporter.otlphttp;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;

/** {@code otlphttp}: OTLP/HTTP to any OTLP backend. */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  public static final String TYPE = "otlphttp";

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
    final OtlpHttpSender sender = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .encoding(config.encoding())
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
