package dev.genainormalizer.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.Objects;

/**
 * The unit that flows through a pipeline: an immutable OTLP request and its span count. Shared
 * between exporters without copying, since protobuf messages are immutable.
 *
 * @param request the spans
 * @param spanCount number of spans in {@code request}
 */
public record TraceBatch(ExportTraceServiceRequest request, int spanCount) {
  public static final TraceBatch EMPTY =
      new TraceBatch(ExportTraceServiceRequest.getDefaultInstance(), 0);

  public TraceBatch {
    Objects.requireNonNull(request, "request");
  }

  public static TraceBatch of(ExportTraceServiceRequest request) {
    return new TraceBatch(request, countSpans(request));
  }

  public boolean isEmpty() {
    return spanCount == 0;
  }

  public static int countSpans(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }
}
