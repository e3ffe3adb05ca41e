package dev.genainormalizer.processor.kong;

import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;

/**
 * Copies onto a Gen AI span what only Kong's infrastructure spans know: whether the call failed,
 * and the request context, under current semantic-convention names. Never overwrites an attribute
 * the span already has, nor an ERROR status it already carries.
 */
final class GenAiEnricher {
  static final String DNS_ERROR = "dns_error";
  static final String UPSTREAM_ERROR = "upstream_error";

  private GenAiEnricher() {}

  /**
   * @param root the facts of the span's Kong root, or null when unknown
   * @param upstream the balancer and dns facts of that root (any order)
   */
  static void enrich(Span.Builder span, RootFacts root, List<UpstreamFacts> upstream) {
    final UpstreamFacts balancer = lastTry(upstream);
    UpstreamFacts dns = null;
    for (UpstreamFacts facts : upstream) {
      if (facts.dns() && (dns == null || facts.error())) {
        dns = facts;
      }
    }
    carryFailure(span, root, upstream, balancer);
    if (root != null) {
      putIfAbsent(span, "http.response.status_code", root.statusCode());
      putIfAbsent(span, "http.request.method", root.method());
      putIfAbsent(span, "kong.route", root.route());
      putIfAbsent(span, "kong.request.id", root.requestId());
    }
    final UpstreamFacts address = balancer != null && balancer.host() != null ? balancer : dns;
    if (address != null && address.host() != null) {
      putIfAbsent(span, "server.address", address.host());
      putIfAbsent(span, "server.port", address.port());
    }
  }

  private static void carryFailure(
      Span.Builder span, RootFacts root, List<UpstreamFacts> upstream, UpstreamFacts balancer) {
    final Long rootStatus = root == null ? null : root.statusCode();
    String errorType = null;
    String message = null;
    if (rootStatus != null && rootStatus >= 500) {
      errorType = Long.toString(rootStatus);
      message = "Kong answered HTTP " + rootStatus;
      final UpstreamFacts failedTry = failedTry(upstream);
      if (failedTry != null && failedTry.host() != null) {
        message +=
            "; upstream "
                + failedTry.host()
                + " failed"
                + (failedTry.statusCode() == null ? "" : " with HTTP " + failedTry.statusCode());
      }
    } else if (rootStatus == null) {
      // Without the root's status, an ERROR try or lookup is the only failure signal. With it, a
      // failed try followed by a good retry (status < 500) is not a failed call.
      final UpstreamFacts failedTry = failedTry(upstream);
      if (failedTry != null) {
        if (failedTry.dns()) {
          errorType = DNS_ERROR;
          message =
              "DNS lookup"
                  + (failedTry.host() == null ? "" : " of " + failedTry.host())
                  + " failed"
                  + (failedTry.exceptionMessage() == null
                      ? ""
                      : ": " + failedTry.exceptionMessage());
        } else if (failedTry.statusCode() != null) {
          errorType = Long.toString(failedTry.statusCode());
          message =
              "upstream"
                  + (failedTry.host() == null ? "" : " " + failedTry.host())
                  + " failed with HTTP "
                  + failedTry.statusCode();
        } else {
          errorType = UPSTREAM_ERROR;
          message =
              "upstream"
                  + (failedTry.host() == null ? "" : " " + failedTry.host())
                  + " failed"
                  + (failedTry.exceptionMessage() == null
                      ? ""
                      : ": " + failedTry.exceptionMessage());
        }
      }
    }
    if (errorType == null) {
      return;
    }
    if (span.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
      span.setStatus(
          Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
    }
    putIfAbsent(span, "error.type", errorType);
  }

  /** The balancer span of the last upstream try (highest {@code try_count}; later wins ties). */
  private static UpstreamFacts lastTry(List<UpstreamFacts> upstream) {
    UpstreamFacts last = null;
    for (UpstreamFacts facts : upstream) {
      if (!facts.dns() && (last == null || facts.tryCount() >= last.tryCount())) {
        last = facts;
      }
    }
    return last;
  }

  /** A failed balancer try, else a failed DNS lookup, else null. */
  private static UpstreamFacts failedTry(List<UpstreamFacts> upstream) {
    UpstreamFacts dns = null;
    UpstreamFacts balancer = null;
    for (UpstreamFacts facts : upstream) {
      if (facts.error()) {
        if (facts.dns()) {
          dns = facts;
        } else {
          balancer = facts;
        }
      }
    }
    return balancer != null ? balancer : dns;
  }

  private static void putIfAbsent(Span.Builder span, String key, String value) {
    if (value != null && !AnyValues.has(span.getAttributesList(), key)) {
      span.addAttributes(AnyValues.keyValue(key, AnyValues.ofString(value)));
    }
  }

  private static void putIfAbsent(Span.Builder span, String key, Long value) {
    if (value != null && !AnyValues.has(span.getAttributesList(), key)) {
      span.addAttributes(AnyValues.keyValue(key, AnyValues.ofLong(value)));
    }
  }
}
