package dev.genainormalizer.exporter.debug;

import com.google.protobuf.ByteString;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.Yaml;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract for {@code debug}: no server, a fixed queue without batching. Each print of the
 * exporter is one delivered batch; the {@code basic} lines show which spans it held.
 */
class DebugExporterContractTest extends AbstractExporterContractTest {
  private static final Pattern IDS =
      Pattern.compile(" trace=([0-9a-f]+|-) span=([0-9a-f]+|-) parent=");
  private final Printed out = new Printed();

  @Override
  protected String componentType() {
    return DebugExporterFactory.TYPE;
  }

  @Override
  protected TraceExporter create(ExporterOptions options, ExporterSettings settings) {
    final DebugExporterFactory factory = new DebugExporterFactory();
    return factory.create(Yaml.parse(factory, "verbosity: basic\n"), settings, out);
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

  /** Printed lines carry the ids, not the whole span. */
  @Override
  protected Object content(ExportTraceServiceRequest request) {
    return spanIds(request);
  }

  /** Each print rebuilt as a request of the spans it names (ids only). */
  @Override
  protected List<ExportTraceServiceRequest> delivered() {
    return out.prints.stream().map(DebugExporterContractTest::spansNamedIn).toList();
  }

  @Override
  protected void resetBackend() {
    out.prints.clear();
  }

  private static ExportTraceServiceRequest spansNamedIn(String printed) {
    final ScopeSpans.Builder spans = ScopeSpans.newBuilder();
    final Matcher m = IDS.matcher(printed);
    while (m.find()) {
      spans.addSpans(Span.newBuilder().setTraceId(bytes(m.group(1))).setSpanId(bytes(m.group(2))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(spans))
        .build();
  }

  private static ByteString bytes(String hex) {
    return hex.equals("-") ? ByteString.EMPTY : ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** Stdout as the exporter sees it: one {@code print} per batch, kept. */
  private static final class Printed extends PrintStream {
    final List<String> prints = new CopyOnWriteArrayList<>();

    Printed() {
      super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Override
    public void print(String s) {
      prints.add(s);
    }
  }
}
