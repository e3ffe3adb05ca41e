package dev.genainormalizer.exporter.file;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import java.nio.file.Path;

/** {@code file}: appends OTLP/JSON lines to a file, for debugging and golden-file capture. */
public final class FileExporterFactory implements ExporterFactory<FileExporterConfig> {
  public static final String TYPE = "file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<FileExporterConfig> configType() {
    return FileExporterConfig.class;
  }

  @Override
  public FileExporterConfig defaultConfig() {
    return FileExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(FileExporterConfig config, ExporterSettings settings) {
    final FileSender sender =
        new FileSender(Path.of(config.path()), "exporter-" + settings.id() + "-writer");
    return QueuedRetryingExporter.builder()
        .settings(settings)
        .sender(sender)
        // one writer thread: concurrent consumers would only interleave waits, not writes
        .queue(
            new dev.genainormalizer.config.QueueConfig(
                dev.genainormalizer.config.QueueConfig.defaults().queueSize(), 1))
        // a line per batch as it left the pipeline: what a golden file should capture
        .defaultBatch(dev.genainormalizer.config.BatchConfig.disabled())
        .description(sender.toString())
        .build();
  }
}
