package dev.genainormalizer.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits a batch into one sub-batch per endpoint by each span's trace id, keeping every span under
 * a copy of its own resource and scope (schema URLs included), in the original order.
 */
final class TraceSplitter {
  private TraceSplitter() {}

  static Map<String, TraceBatch> split(TraceBatch batch, Function<ByteString, String> route) {
    final Map<String, ExportTraceServiceRequest.Builder> requests = new LinkedHashMap<>();
    final Map<String, int[]> counts = new LinkedHashMap<>();
    for (ResourceSpans rs : batch.request().getResourceSpansList()) {
      final Map<String, ResourceSpans.Builder> resources = new LinkedHashMap<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        final Map<String, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
        for (Span span : ss.getSpansList()) {
          final String endpoint = route.apply(span.getTraceId());
          if (endpoint == null) {
            continue;
          }
          scopes.computeIfAbsent(endpoint, e -> ss.toBuilder().clearSpans()).addSpans(span);
          counts.computeIfAbsent(endpoint, e -> new int[1])[0]++;
        }
        scopes.forEach(
            (endpoint, scope) ->
                resources
                    .computeIfAbsent(endpoint, e -> rs.toBuilder().clearScopeSpans())
                    .addScopeSpans(scope));
      }
      resources.forEach(
          (endpoint, resource) ->
              requests
                  .computeIfAbsent(endpoint, e -> ExportTraceServiceRequest.newBuilder())
                  .addResourceSpans(resource));
    }
    final Map<String, TraceBatch> out = new LinkedHashMap<>();
    requests.forEach(
        (endpoint, request) ->
            out.put(endpoint, new TraceBatch(request.build(), counts.get(endpoint)[0])));
    return out;
  }

  /** The trace ids of a batch, for tests and logs. */
  static List<ByteString> traceIds(TraceBatch batch) {
    return batch.request().getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .map(Span::getTraceId)
        .distinct()
        .toList();
  }
}
