package dev.genainormalizer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.NormalizerConfig;
import dev.genainormalizer.config.PipelineConfig;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.exporter.AttemptListener;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorFactory;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code map} dry run: the real processors and the exporters' own mapping, with no network.
 * Prints, per pipeline and exporter, each request the exporter would send (target with secrets
 * redacted, body as OTLP/JSON) and, with {@code --explain}, what happened to every input span.
 * Attributes pass the same credential rule as the {@code debug} exporter's output (a terminal is
 * recorded as often as stdout is); prompt and completion text is printed, as there.
 */
final class MapCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HexFormat HEX = HexFormat.of();
  private static final AttributeRedactor REDACTOR = AttributeRedactor.credentials();

  private final NormalizerConfig config;
  private final ComponentRegistry registry;

  MapCommand(NormalizerConfig config, ComponentRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /** Parses OTLP/JSON (input starting with '{') or binary protobuf. */
  static ExportTraceServiceRequest parse(byte[] input) throws IOException {
    for (byte b : input) {
      if (!Character.isWhitespace(b)) {
        return b == '{' ? OtlpJson.parseTraces(input) : ExportTraceServiceRequest.parseFrom(input);
      }
    }
    return ExportTraceServiceRequest.getDefaultInstance();
  }

  /**
   * @param exporterFilter only this exporter id, or null for all
   * @return the JSON document to print
   */
  String run(ExportTraceServiceRequest input, String exporterFilter, boolean explain)
      throws IOException {
    final ObjectNode root = JSON.createObjectNode();
    final ArrayNode out = root.putArray("pipelines");
    final Clock clock = Clock.SYSTEM;
    for (Map.Entry<String, PipelineConfig> entry : config.service().pipelines().entrySet()) {
      final String pipelineId = entry.getKey();
      final SimpleMeterRegistry meters = new SimpleMeterRegistry();
      final List<TraceProcessor> processors = new ArrayList<>();
      for (ComponentId id : entry.getValue().processors()) {
        final ProcessorFactory<Record> f = factory(ComponentKind.PROCESSOR, id);
        processors.add(
            f.create(
                config.processors().get(id), new ProcessorSettings(id, pipelineId, meters, clock)));
      }
      final Capture capture = new Capture();
      final Pipeline pipeline = new Pipeline(pipelineId, processors, List.of(capture));
      pipeline.consume(new TraceBatch(input, TraceBatch.countSpans(input)));
      pipeline.drain(); // a dry run has no later batches: release every held span now
      final ObjectNode p = out.addObject();
      p.put("pipeline", pipelineId);
      if (explain) {
        p.set("explain", explain(input, capture.batches, meters));
      }
      final ArrayNode exporters = p.putArray("exporters");
      for (ComponentId id : entry.getValue().exporters()) {
        if (exporterFilter != null && !exporterFilter.equals(id.toString())) {
          continue;
        }
        final ExporterFactory<Record> f = factory(ComponentKind.EXPORTER, id);
        // Built, never started: nothing connects, and shutdown releases what the build allocated.
        final TraceExporter exporter =
            f.create(
                config.exporters().get(id),
                new ExporterSettings(
                    id, new SimpleMeterRegistry(), clock, MemoryBudget.unlimited()));
        try {
          final ObjectNode e = exporters.addObject();
          e.put("exporter", id.toString());
          e.put("target", Redaction.urlsIn(exporter.description()));
          final ArrayNode requests = e.putArray("requests");
          // merged as the exporter's batching merges what arrives together
          for (TraceBatch sent : exporter.asSent(capture.batches)) {
            if (!sent.isEmpty()) {
              requests.add(JSON.readTree(OtlpJson.printTraces(REDACTOR.redact(sent.request()))));
            }
          }
        } finally {
          exporter.shutdown(Duration.ZERO);
        }
      }
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private static ArrayNode explain(
      ExportTraceServiceRequest input, List<TraceBatch> output, SimpleMeterRegistry meters) {
    final Map<String, Span> out = new LinkedHashMap<>();
    for (TraceBatch b : output) {
      forEachSpan(b.request(), s -> out.put(key(s), s));
    }
    final Map<String, Double> dropReasons = new LinkedHashMap<>();
    for (Counter c : meters.find("genai_normalizer.processor.dropped.spans").counters()) {
      if (c.count() > 0) {
        dropReasons.merge(c.getId().getTag("reason"), c.count(), Double::sum);
      }
    }
    final ArrayNode spans = JSON.createArrayNode();
    forEachSpan(
        input,
        in -> {
          final ObjectNode e = spans.addObject();
          e.put("span", in.getName());
          e.put("trace_id", HEX.formatHex(in.getTraceId().toByteArray()));
          e.put("span_id", HEX.formatHex(in.getSpanId().toByteArray()));
          final Span o = out.get(key(in));
          if (o == null) {
            e.put("outcome", "dropped");
            e.put(
                "why",
                dropReasons.isEmpty()
                    ? "not emitted by the processors"
                    : "dropped by a processor (this pipeline's drops by reason: "
                        + dropReasons
                        + ")");
            return;
          }
          e.put("outcome", "kept");
          if (!o.getParentSpanId().equals(in.getParentSpanId())) {
            e.put("reparented_from", HEX.formatHex(in.getParentSpanId().toByteArray()));
            e.put("reparented_to", HEX.formatHex(o.getParentSpanId().toByteArray()));
          }
          if (!o.getName().equals(in.getName())) {
            e.put("renamed_to", o.getName());
          }
          final Map<String, AnyValue> before = attrs(in);
          final Map<String, AnyValue> after = attrs(o);
          final ArrayNode added = e.putArray("attributes_added");
          final ArrayNode removed = e.putArray("attributes_removed");
          final ObjectNode renamed = e.putObject("attributes_renamed");
          final ArrayNode changed = e.putArray("attributes_changed");
          final List<String> gone = new ArrayList<>();
          before.forEach(
              (k, v) -> {
                if (!after.containsKey(k)) {
                  gone.add(k);
                } else if (!after.get(k).equals(v)) {
                  changed.add(k);
                }
              });
          final List<String> fresh = new ArrayList<>();
          after
              .keySet()
              .forEach(
                  k -> {
                    if (!before.containsKey(k)) {
                      fresh.add(k);
                    }
                  });
          for (String k : gone) {
            final String to =
                fresh.stream()
                    .filter(n -> after.get(n).equals(before.get(k)))
                    .findFirst()
                    .orElse(null);
            if (to != null) {
              renamed.put(k, to);
              fresh.remove(to);
            } else {
              removed.add(k);
            }
          }
          fresh.forEach(added::add);
        });
    return spans;
  }

  private static Map<String, AnyValue> attrs(Span s) {
    final Map<String, AnyValue> m = new LinkedHashMap<>();
    for (KeyValue kv : s.getAttributesList()) {
      m.put(kv.getKey(), kv.getValue());
    }
    return m;
  }

  private static String key(Span s) {
    return HEX.formatHex(s.getTraceId().toByteArray())
        + "/"
        + HEX.formatHex(s.getSpanId().toByteArray());
  }

  private static void forEachSpan(
      ExportTraceServiceRequest r, java.util.function.Consumer<Span> action) {
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(action);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <F> F factory(ComponentKind kind, ComponentId id) {
    final ComponentFactory<?> f =
        registry
            .find(kind, id.type())
            .orElseThrow(
                () -> new IllegalStateException("no " + kind.section() + " factory for " + id));
    return (F) f;
  }

  /** Stands in for the exporters: keeps what leaves the processors. */
  private static final class Capture implements TraceExporter {
    final List<TraceBatch> batches = new ArrayList<>();

    @Override
    public void start() {}

    @Override
    public boolean export(TraceBatch batch) {
      batches.add(batch);
      return true;
    }

    @Override
    public String description() {
      return "the map dry run's capture of what leaves the processors";
    }

    @Override
    public TraceBatch asSent(TraceBatch batch) {
      return batch; // kept as it left the processors: each real exporter maps it after
    }

    @Override
    public void attemptListener(AttemptListener listener) {
      // sends nothing, so there is no attempt to report
    }

    @Override
    public Set<String> meteredUnder() {
      return Set.of();
    }

    @Override
    public CompletableFuture<Long> shutdown(Duration timeout) {
      return CompletableFuture.completedFuture(0L);
    }
  }
}
