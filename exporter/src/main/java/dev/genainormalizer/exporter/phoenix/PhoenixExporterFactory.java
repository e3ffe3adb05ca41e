package dev.genainormalizer.exporter.phoenix;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSenderBuilder;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code phoenix}: OTLP/HTTP to Arize Phoenix with the {@code phoenix} profile. Always protobuf:
 * Phoenix answers 415 to any other content type.
 */
public final class PhoenixExporterFactory implements ExporterFactory<PhoenixExporterConfig> {
  public static final String TYPE = "phoenix";
  private static final Logger logger = LoggerFactory.getLogger(PhoenixExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<PhoenixExporterConfig> configType() {
    return PhoenixExporterConfig.class;
  }

  @Override
  public PhoenixExporterConfig defaultConfig() {
    return PhoenixExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(PhoenixExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSenderBuilder b = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .tls(config.tls())
        .clock(settings.clock());
    if (!config.apiKey().value().isEmpty()) {
      b.addHeader("authorization", new Secret("Bearer " + config.apiKey().value()));
    }
    final OtlpHttpSender http = b.build();
    final MappingSender sender = new MappingSender(settings.id().toString(), "Phoenix", TYPE,
        VendorProfiles.PHOENIX.mapper(config.settings(), config.content()), config.content(), http,
        logger);
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
