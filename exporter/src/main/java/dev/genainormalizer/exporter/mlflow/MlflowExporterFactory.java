package dev.genainormalizer.exporter.mlflow;

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
 * {@code mlflow}: OTLP/HTTP to an MLflow tracking server with the {@code mlflow} profile. Always
 * protobuf: MLflow compares the content type exactly with {@code application/x-protobuf}.
 */
public final class MlflowExporterFactory implements ExporterFactory<MlflowExporterConfig> {
  public static final String TYPE = "mlflow";
  private static final Logger logger = LoggerFactory.getLogger(MlflowExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<MlflowExporterConfig> configType() {
    return MlflowExporterConfig.class;
  }

  @Override
  public MlflowExporterConfig defaultConfig() {
    return MlflowExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(MlflowExporterConfig config, ExporterSettings settings) {
    final OtlpHttpSenderBuilder b = OtlpHttpSender.builder()
        .endpoint(config.tracesUri())
        .compression(config.compression())
        .timeout(config.timeout())
        .addHeader(MlflowExporterConfig.EXPERIMENT_HEADER, new Secret(config.experimentId()))
        .tls(config.tls())
        .clock(settings.clock());
    config.authorization().ifPresent(auth -> b.addHeader("authorization", auth));
    final OtlpHttpSender http = b.build();
    final MappingSender sender = new MappingSender(settings.id().toString(), "MLflow", TYPE,
        VendorProfiles.MLFLOW.mapper(config.settings(), config.content()), config.content(), http,
        logger);
    return QueuedRetryingExporter.of(settings, sender, config.retryOnFailure(), config.sendingQueue());
  }
}
