package dev.genainormalizer.exporter.fiddler;

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

/** {@code fiddler}: OTLP/HTTP protobuf to Fiddler with the {@code fiddler} profile. */
public final class FiddlerExporterFactory implements ExporterFactory<FiddlerExporterConfig> {
  public static final String TYPE = "fiddler";
  private static final Logger logger = LoggerFactory.getLogger(FiddlerExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<FiddlerExporterConfig> configType() {
    return FiddlerExporterConfig.class;
  }

  @Override
  public FiddlerExporterConfig defaultConfig() {
    return FiddlerExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(FiddlerExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSender http = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .addHeader("authorization", new Secret("Bearer " + config.apiKey().value()))
        .addHeader("fiddler-application-id", new Secret(config.applicationId()))
        .tls(config.tls())
        .clock(settings.clock())
        .build();
    final MappingSender sender = new MappingSender(settings.id().toString(), "Fiddler", TYPE,
        VendorProfiles.FIDDLER.mapper(config.settings(), config.content()), config.content(), http,
        logger);
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
