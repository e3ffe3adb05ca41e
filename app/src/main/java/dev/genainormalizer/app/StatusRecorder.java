package dev.genainormalizer.app;

import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the status page shows beyond meters: the last spans received, and per exporter the last
 * batch the backend accepted and the last error. Costs O(recent) per batch, never O(batch).
 */
final class StatusRecorder {
  static final int RECENT_SPANS = 20;

  /** Attribute values longer than this are cut on the status page. */
  static final int MAX_VALUE_CHARS = 300;

  /** One received span, reduced to what a person scans for. */
  record RecentSpan(
      long receivedAtMillis,
      String receiver,
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Map<String, String> attributes) {}

  /** The last outcome of one exporter. */
  record ExporterState(
      TraceBatch lastSent, long lastSentAtMillis, String lastError, long lastErrorAtMillis) {
    static final ExporterState EMPTY = new ExporterState(null, 0, "", 0);
  }

  /** A span as received, formatted only when the page is rendered. */
  private record Received(long receivedAtMillis, String receiver, String service, Span span) {}

  private final Clock clock;
  private final AttributeRedactor redactor;
  private final ArrayDeque<Received> recent = new ArrayDeque<>(RECENT_SPANS);
  private final Map<String, ExporterState> exporters = new ConcurrentHashMap<>();

  /**
   * @param redactor applied to every span the page shows, so no credential is ever displayed
   */
  StatusRecorder(Clock clock, AttributeRedactor redactor) {
    this.clock = clock;
    this.redactor = redactor;
  }

  /**
   * Keeps the batch's last spans as they are (immutable protobuf messages): formatting and
   * redacting them here would cost every request what only a page view needs.
   */
  void received(String receiver, TraceBatch batch) {
    final int total = batch.spanCount();
    int skip = Math.max(0, total - RECENT_SPANS);
    final List<Received> kept = new ArrayList<>(Math.min(total, RECENT_SPANS));
    final long now = clock.wallTime();
    for (ResourceSpans rs : batch.request().getResourceSpansList()) {
      int spans = 0;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans += ss.getSpansCount();
      }
      if (skip >= spans) {
        skip -= spans;
        continue;
      }
      final String service =
          AnyValues.scalarText(rs.getResource().getAttributesList(), "service.name").orElse("");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        final List<Span> list = ss.getSpansList();
        if (skip >= list.size()) {
          skip -= list.size();
          continue;
        }
        for (int i = skip; i < list.size(); i++) {
          kept.add(new Received(now, receiver, service, list.get(i)));
        }
        skip = 0;
      }
    }
    synchronized (recent) {
      for (Received s : kept) {
        if (recent.size() == RECENT_SPANS) {
          recent.removeFirst();
        }
        recent.addLast(s);
      }
    }
  }

  private RecentSpan toRecent(Received received) {
    final Span span = received.span();
    final Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue kv : redactor.redact(span.getAttributesList())) {
      attributes.put(kv.getKey(), cut(AnyValues.display(kv.getValue())));
    }
    final HexFormat hex = HexFormat.of();
    return new RecentSpan(
        received.receivedAtMillis(),
        received.receiver(),
        received.service(),
        hex.formatHex(span.getTraceId().toByteArray()),
        hex.formatHex(span.getSpanId().toByteArray()),
        hex.formatHex(span.getParentSpanId().toByteArray()),
        span.getName(),
        attributes);
  }

  static String cut(String s) {
    return s.length() <= MAX_VALUE_CHARS
        ? s
        : s.substring(0, MAX_VALUE_CHARS) + "… (" + s.length() + " chars)";
  }

  /** Newest first. */
  List<RecentSpan> recentSpans() {
    final List<Received> newestFirst;
    synchronized (recent) {
      newestFirst = new ArrayList<>(recent);
    }
    java.util.Collections.reverse(newestFirst);
    final List<RecentSpan> out = new ArrayList<>(newestFirst.size());
    for (Received r : newestFirst) {
      out.add(toRecent(r));
    }
    return out;
  }

  void attemptDone(String exporter, TraceBatch batch, Throwable error) {
    final long now = clock.wallTime();
    exporters.compute(
        exporter,
        (id, old) -> {
          final ExporterState s = old == null ? ExporterState.EMPTY : old;
          return error == null
              ? new ExporterState(batch, now, s.lastError(), s.lastErrorAtMillis())
              : new ExporterState(
                  s.lastSent(),
                  s.lastSentAtMillis(),
                  Redaction.urlsIn(String.valueOf(error.getMessage())),
                  now);
        });
  }

  ExporterState exporter(String id) {
    return exporters.getOrDefault(id, ExporterState.EMPTY);
  }
}
