package dev.genainormalizer.exporter.profile;

import static org.assertj.core.api.Assertions.fail;

import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Test data of this package and a comparison of requests that prints what differs, span by span.
 */
final class Goldens {
  private Goldens() {}

  /** A normalized input under {@code input/}. */
  static ExportTraceServiceRequest input(String name) {
    return read("input/" + name);
  }

  /** An expected output under {@code expected/}. */
  static ExportTraceServiceRequest expected(String name) {
    return read("expected/" + name);
  }

  static ExportTraceServiceRequest read(String path) {
    try (InputStream in = Goldens.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no test resource " + path + " beside " + Goldens.class.getName());
      }
      return OtlpJson.parseTraces(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }

  /**
   * Attribute order carries no meaning in OTLP: sort by key so files can list them in any order.
   */
  static ExportTraceServiceRequest canonical(ExportTraceServiceRequest req) {
    final ExportTraceServiceRequest.Builder b = req.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      final List<KeyValue> ra = sorted(rs.getResource().getAttributesList());
      rs.getResourceBuilder().clearAttributes().addAllAttributes(ra);
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          final List<KeyValue> sa = sorted(span.getAttributesList());
          span.clearAttributes().addAllAttributes(sa);
          for (Span.Event.Builder e : span.getEventsBuilderList()) {
            final List<KeyValue> ea = sorted(e.getAttributesList());
            e.clearAttributes().addAllAttributes(ea);
          }
        }
      }
    }
    return b.build();
  }

  private static List<KeyValue> sorted(List<KeyValue> attrs) {
    final List<KeyValue> out = new ArrayList<>(attrs);
    out.sort(Comparator.comparing(KeyValue::getKey));
    return out;
  }

  /** Fails with a readable diff unless the two requests are equal up to attribute order. */
  static void assertSame(
      String what, ExportTraceServiceRequest expected, ExportTraceServiceRequest actual) {
    final ExportTraceServiceRequest e = canonical(expected);
    final ExportTraceServiceRequest a = canonical(actual);
    if (e.equals(a)) {
      return;
    }
    fail(
        what
            + " differs from the expected file:\n"
            + diff(e, a)
            + "\nactual:\n"
            + OtlpJson.printTraces(a));
  }

  static String diff(ExportTraceServiceRequest expected, ExportTraceServiceRequest actual) {
    final StringBuilder sb = new StringBuilder();
    final Map<String, Span> es = spans(expected);
    final Map<String, Span> as = spans(actual);
    final TreeSet<String> ids = new TreeSet<>(es.keySet());
    ids.addAll(as.keySet());
    for (String id : ids) {
      final Span e = es.get(id);
      final Span a = as.get(id);
      if (e == null || a == null) {
        sb.append("span ").append(id).append(e == null ? ": unexpected\n" : ": missing\n");
        continue;
      }
      final Map<String, String> ea = attrs(e.getAttributesList());
      final Map<String, String> aa = attrs(a.getAttributesList());
      final TreeSet<String> keys = new TreeSet<>(ea.keySet());
      keys.addAll(aa.keySet());
      for (String k : keys) {
        final String ev = ea.get(k);
        final String av = aa.get(k);
        if (ev == null) {
          sb.append("span ")
              .append(id)
              .append(": + ")
              .append(k)
              .append(" = ")
              .append(av)
              .append('\n');
        } else if (av == null) {
          sb.append("span ")
              .append(id)
              .append(": - ")
              .append(k)
              .append(" = ")
              .append(ev)
              .append('\n');
        } else if (!ev.equals(av)) {
          sb.append("span ")
              .append(id)
              .append(": ~ ")
              .append(k)
              .append(": expected ")
              .append(ev)
              .append(", got ")
              .append(av)
              .append('\n');
        }
      }
      if (!e.toBuilder()
          .clearAttributes()
          .build()
          .equals(a.toBuilder().clearAttributes().build())) {
        sb.append("span ")
            .append(id)
            .append(": fields other than attributes differ (parent, status, times…)\n");
      }
    }
    for (int i = 0;
        i < Math.max(expected.getResourceSpansCount(), actual.getResourceSpansCount());
        i++) {
      final String ev =
          i < expected.getResourceSpansCount()
              ? attrs(expected.getResourceSpans(i).getResource().getAttributesList()).toString()
              : "none";
      final String av =
          i < actual.getResourceSpansCount()
              ? attrs(actual.getResourceSpans(i).getResource().getAttributesList()).toString()
              : "none";
      if (!ev.equals(av)) {
        sb.append("resource ")
            .append(i)
            .append(": expected ")
            .append(ev)
            .append(", got ")
            .append(av)
            .append('\n');
      }
    }
    return sb.length() == 0 ? "(grouping or scope differs)" : sb.toString();
  }

  static Map<String, Span> spans(ExportTraceServiceRequest req) {
    final Map<String, Span> out = new TreeMap<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          out.put(HexFormat.of().formatHex(span.getSpanId().toByteArray()), span);
        }
      }
    }
    return out;
  }

  static Map<String, String> attrs(List<KeyValue> kvs) {
    final Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), OtlpJson.print(kv.getValue()));
    }
    return out;
  }
}
