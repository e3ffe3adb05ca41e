package dev.genainormalizer.exporter.debug;

import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import java.io.PrintStream;

/** {@code debug}: mapped spans on stdout, readable, for trying the service out. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {
  public static final String TYPE = "debug";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<DebugExporterConfig> configType() {
    return DebugExporterConfig.class;
  }

  @Override
  public DebugExporterConfig defaultConfig() {
    return DebugExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(DebugExporterConfig config, ExporterSettings settings) {
    return create(config, settings, System.out);
  }

  TraceExporter create(DebugExporterConfig config, ExporterSettings settings, PrintStream out) {
    final SpanPrinter printer = new SpanPrinter(config.verbosity(), config.maxValueLength());
    return QueuedRetryingExporter.builder()
        .settings(settings)
        .sender(new DebugSender(out, printer, "exporter-" + settings.id() + "-writer"))
        // printing does not fail in a way a retry would fix
        .retry(
            new RetryConfig(
                false,
                RetryConfig.defaults().initialInterval(),
                RetryConfig.defaults().maxInterval(),
                RetryConfig.defaults().maxElapsedTime(),
                RetryConfig.defaults().multiplier(),
                RetryConfig.defaults().randomizationFactor()))
        // printed as each batch left the pipeline, at once
        .defaultBatch(dev.genainormalizer.config.BatchConfig.disabled())
        .description(
            "debug to stdout, verbosity "
                + config.verbosity().name().toLowerCase(java.util.Locale.ROOT))
        .build();
  }
}
