package dev.genainormalizer.processor.genai;

import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.semconv.GenAiKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * The {@code genai} processor: normalizes Gen AI spans (messages to parts form, usage, conversation
 * and user ids, cost) and passes every other span on unchanged. Stateless, so thread-safe; holds
 * nothing back and never drops a span (one with no end time, or ending after its parent, is kept).
 */
final class GenAiProcessor implements TraceProcessor {
  private final GenAiSpanNormalizer normalizer;
  private final GenAiProcessorTelemetry telemetry;

  GenAiProcessor(
      GenAiProcessorConfig config, PriceTable prices, GenAiProcessorTelemetry telemetry) {
    this.normalizer = new GenAiSpanNormalizer(config, prices);
    this.telemetry = telemetry;
  }

  @Override
  public ProcessResult process(TraceBatch batch) {
    final ExportTraceServiceRequest request = batch.request();
    ExportTraceServiceRequest.Builder changed = null;
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      final ResourceSpans rs = request.getResourceSpans(r);
      final List<KeyValue> resource = rs.getResource().getAttributesList();
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        final ScopeSpans ss = rs.getScopeSpans(s);
        for (int i = 0; i < ss.getSpansCount(); i++) {
          final Span span = ss.getSpans(i);
          if (!GenAiKind.isGenAi(span)) {
            continue;
          }
          final Span normalized = normalize(span, resource);
          if (normalized != span) {
            if (changed == null) {
              changed = request.toBuilder();
            }
            changed.getResourceSpansBuilder(r).getScopeSpansBuilder(s).setSpans(i, normalized);
          }
        }
      }
    }
    return ProcessResult.of(
        changed == null ? batch : new TraceBatch(changed.build(), batch.spanCount()));
  }

  private Span normalize(Span span, List<KeyValue> resource) {
    try {
      return normalizer.normalize(span, resource, telemetry::unparsed);
    } catch (RuntimeException e) {
      // Bad data must never stop the pipeline: pass the span on as it came, and count it.
      telemetry.failedSpan();
      return span;
    }
  }
}
