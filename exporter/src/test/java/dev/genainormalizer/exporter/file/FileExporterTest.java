package dev.genainormalizer.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExporterTest {
  @TempDir Path dir;

  private final ExporterSettings settings =
      new ExporterSettings(
          ComponentId.of("file"),
          new SimpleMeterRegistry(),
          Clock.SYSTEM,
          new MemoryBudget(1L << 30));

  @Test
  void appendsOneOtlpJsonLinePerBatch() throws Exception {
    final Path path = dir.resolve("spans.jsonl");
    Files.writeString(path, "{}\n"); // an earlier run's line is kept
    final TraceExporter exporter =
        new FileExporterFactory().create(new FileExporterConfig(path.toString()), settings);
    exporter.start();
    final List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (String name : TestTraces.KONG_FIXTURES) {
      final ExportTraceServiceRequest request = TestTraces.fixture(name);
      sent.add(request);
      assertThat(exporter.export(TraceBatch.of(request))).isTrue();
    }

    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isZero();

    final List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1 + sent.size());
    assertThat(lines.get(0)).isEqualTo("{}");
    final List<ExportTraceServiceRequest> read = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      read.add(OtlpJson.parseTraces(line.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(read).isEqualTo(sent);
  }

  @Test
  void aMissingDirectoryFailsAtStartWithAClearMessage() {
    final Path path = dir.resolve("no-such-dir").resolve("spans.jsonl");
    final TraceExporter exporter =
        new FileExporterFactory().create(new FileExporterConfig(path.toString()), settings);

    assertThatThrownBy(exporter::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(path.getParent().toString())
        .hasMessageContaining("does not exist");
    exporter.shutdown(Duration.ZERO);
  }

  @Test
  void pathIsRequired() {
    assertThat(FileExporterConfig.defaults().validate())
        .containsExactly("path: required (expected: a file to append OTLP/JSON lines to)");
    assertThat(new FileExporterConfig("  ").validate()).hasSize(1);
    assertThat(new FileExporterConfig("/tmp/x.jsonl").validate()).isEmpty();
  }
}
