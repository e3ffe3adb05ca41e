package dev.genainormalizer.processor.kong;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * What a {@code kong.balancer} (one upstream try) or {@code kong.dns} span says about the upstream
 * call, remembered so the Gen AI span can carry it after those spans are dropped.
 *
 * @param parent the span id of the Kong root the span belongs to
 * @param dns true for {@code kong.dns}, false for {@code kong.balancer}
 */
record UpstreamFacts(
    ByteString parent,
    boolean dns,
    boolean error,
    Long statusCode,
    String host,
    Long port,
    long tryCount,
    String exceptionMessage) {

  static final String BALANCER = "kong.balancer";
  static final String DNS = "kong.dns";

  static boolean isUpstream(String name) {
    return BALANCER.equals(name) || DNS.equals(name);
  }

  static UpstreamFacts of(Span span, ByteString parent) {
    final boolean dns = DNS.equals(span.getName());
    final var attributes = span.getAttributesList();
    String exceptionMessage = null;
    for (Span.Event event : span.getEventsList()) {
      final String message = AnyValues.string(event.getAttributesList(), "exception.message");
      if (message != null) {
        exceptionMessage = message;
      }
    }
    final Long tryCount = AnyValues.longOrNull(attributes, "try_count");
    return new UpstreamFacts(
        parent,
        dns,
        span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
        AnyValues.longOrNull(attributes, "http.status_code"),
        AnyValues.string(attributes, dns ? "dns.record.domain" : "net.peer.name"),
        AnyValues.longOrNull(attributes, dns ? "dns.record.port" : "net.peer.port"),
        tryCount == null ? 0 : tryCount,
        exceptionMessage == null
            ? (span.getStatus().getMessage().isEmpty() ? null : span.getStatus().getMessage())
            : exceptionMessage);
  }

  long approximateBytes() {
    return 96
        + (host == null ? 0 : 2L * host.length())
        + (exceptionMessage == null ? 0 : 2L * exceptionMessage.length());
  }
}
