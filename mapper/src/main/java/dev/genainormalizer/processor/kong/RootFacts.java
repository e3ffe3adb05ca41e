package dev.genainormalizer.processor.kong;

import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.trace.v1.Span;

/** What the Gen AI span inherits from Kong's root span ({@code kong}) before it is dropped. */
record RootFacts(Long statusCode, String method, String route, String requestId) {

  static RootFacts of(Span root) {
    return new RootFacts(
        AnyValues.longOrNull(root.getAttributesList(), "http.status_code"),
        AnyValues.string(root.getAttributesList(), "http.method"),
        AnyValues.string(root.getAttributesList(), "http.route"),
        AnyValues.string(root.getAttributesList(), "kong.request.id"));
  }

  long approximateBytes() {
    return 64 + length(method) + length(route) + length(requestId);
  }

  private static int length(String s) {
    return s == null ? 0 : 2 * s.length();
  }
}
