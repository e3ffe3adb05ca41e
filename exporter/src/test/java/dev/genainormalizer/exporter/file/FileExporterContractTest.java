package dev.genainormalizer.exporter.file;

import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.Yaml;
import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract for {@code file}: no server, a fixed queue without batching. Each complete line of
 * the file is one delivered batch, read back whole from OTLP/JSON.
 */
class FileExporterContractTest extends AbstractExporterContractTest {
  @TempDir Path dir;
  private int tests;
  private Path file;

  @Override
  protected String componentType() {
    return FileExporterFactory.TYPE;
  }

  @Override
  protected TraceExporter create(ExporterOptions options, ExporterSettings settings) {
    return Yaml.exporter(
        new FileExporterFactory(), "path: " + OptionsYaml.quoted(file.toString()) + "\n", settings);
  }

  @Override
  protected boolean supportsRemoteBackend() {
    return false;
  }

  @Override
  protected boolean supportsSendingQueueConfig() {
    return false;
  }

  @Override
  protected boolean supportsCustomHeaders() {
    return false;
  }

  /** A new file for each test. */
  @Override
  protected void resetBackend() {
    file = dir.resolve("spans-" + ++tests + ".jsonl");
  }

  /** Every complete line so far; one being written is not counted until its newline is there. */
  @Override
  protected List<ExportTraceServiceRequest> delivered() {
    if (!Files.exists(file)) {
      return List.of();
    }
    final String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    final List<ExportTraceServiceRequest> got = new ArrayList<>();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
      try {
        got.add(OtlpJson.parseTraces(text.substring(start, end).getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "line " + (got.size() + 1) + " of " + file + " is not OTLP/JSON", e);
      }
    }
    return got;
  }
}
