package dev.genainormalizer.exporter.openobserve;

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

/** {@code openobserve}: OTLP/HTTP protobuf to OpenObserve with the {@code openobserve} profile. */
public final class OpenObserveExporterFactory implements ExporterFactory<OpenObserveExporterConfig> {
  public static final String TYPE = "openobserve";
  private static final Logger logger = LoggerFactory.getLogger(OpenObserveExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<OpenObserveExporterConfig> configType() {
    return OpenObserveExporterConfig.class;
  }

  @Override
  public OpenObserveExporterConfig defaultConfig() {
    return OpenObserveExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(OpenObserveExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSender http = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .addHeader("authorization", config.authorization())
        .addHeader(OpenObserveExporterConfig.STREAM_HEADER, new Secret(config.stream()))
        .tls(config.tls())
        .clock(settings.clock())
        .build();
    final MappingSender sender = new MappingSender(settings.id().toString(), "OpenObserve", TYPE,
        VendorProfiles.OPENOBSERVE.mapper(config.settings(), config.content()), config.content(),
        http, logger);
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
