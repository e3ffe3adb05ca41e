package dev.genainormalizer.exporter.langfuse;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code langfuse}: OTLP/HTTP protobuf to Langfuse's OTel endpoint with the {@code langfuse} profile. */
public final class LangfuseExporterFactory implements ExporterFactory<LangfuseExporterConfig> {
  public static final String TYPE = "langfuse";
  private static final Logger logger = LoggerFactory.getLogger(LangfuseExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<LangfuseExporterConfig> configType() {
    return LangfuseExporterConfig.class;
  }

  @Override
  public LangfuseExporterConfig defaultConfig() {
    return LangfuseExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(LangfuseExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSender http = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .addHeader("authorization", config.authorization())
        .addHeader("x-langfuse-ingestion-version", new Secret(LangfuseExporterConfig.INGESTION_VERSION))
        .tls(config.tls())
        .clock(settings.clock())
        .build();
    final MappingSender sender = new MappingSender(settings.id().toString(), "Langfuse", TYPE,
        VendorProfiles.LANGFUSE.mapper(config.settings(), config.content()), config.content(), http,
        logger);
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
