package dev.genainormalizer.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.NormalizerConfig;
import dev.genainormalizer.config.PipelineConfig;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The admin root: version, uptime, pipelines, exporters (queue fill, sent, failed, retries, last
 * error, the last batch exactly as the backend got it), drop reasons, and the last spans received.
 * One model, rendered as escaped HTML ({@code /}) or JSON ({@code /status.json}). Secrets never
 * appear: headers are not shown and config values are not printed, only component ids; span
 * attributes pass the shared {@link dev.genainormalizer.config.Redaction} rule, and prompt and
 * completion text is hidden unless {@code service.telemetry.admin.show_content} is true.
 */
final class StatusPage {
  /** The "as sent" body is cut beyond this many characters. */
  static final int MAX_AS_SENT_CHARS = 20_000;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final NormalizerConfig config;
  private final Map<ComponentId, TraceExporter> exporters;
  private final MeterRegistry meters;
  private final StatusRecorder recorder;
  private final Clock clock;
  private final long startedAtMillis;
  private final Supplier<Boolean> ready;
  private final boolean showContent;
  private final AttributeRedactor redactor;

  StatusPage(
      NormalizerConfig config,
      Map<ComponentId, TraceExporter> exporters,
      MeterRegistry meters,
      StatusRecorder recorder,
      Clock clock,
      Supplier<Boolean> ready) {
    this.config = config;
    this.exporters = exporters;
    this.meters = meters;
    this.recorder = recorder;
    this.clock = clock;
    this.startedAtMillis = clock.wallTime();
    this.ready = ready;
    this.showContent = config.service().telemetry().admin().showContent();
    this.redactor = redactor(config);
  }

  /**
   * What the page (and its {@link StatusRecorder}) may show of span attributes under {@code
   * config}.
   */
  static AttributeRedactor redactor(NormalizerConfig config) {
    return config.service().telemetry().admin().showContent()
        ? AttributeRedactor.credentials()
        : AttributeRedactor.credentialsAndContent(VendorProfiles::isContentKey);
  }

  Map<String, Object> model() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", Cli.version());
    m.put("started_at", Instant.ofEpochMilli(startedAtMillis).toString());
    m.put("uptime_seconds", (clock.wallTime() - startedAtMillis) / 1000);
    m.put("ready", ready.get());
    m.put("show_content", showContent);
    final List<Map<String, Object>> pipelines = new ArrayList<>();
    for (Map.Entry<String, PipelineConfig> e : config.service().pipelines().entrySet()) {
      final Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", e.getKey());
      p.put("receivers", ids(e.getValue().receivers()));
      p.put("processors", ids(e.getValue().processors()));
      p.put("exporters", ids(e.getValue().exporters()));
      pipelines.add(p);
    }
    m.put("pipelines", pipelines);
    final List<Map<String, Object>> ex = new ArrayList<>();
    for (Map.Entry<ComponentId, TraceExporter> e : exporters.entrySet()) {
      ex.add(exporter(e.getKey().toString(), e.getValue()));
    }
    m.put("exporters", ex);
    m.put("drops", drops());
    final List<Map<String, Object>> spans = new ArrayList<>();
    for (StatusRecorder.RecentSpan s : recorder.recentSpans()) {
      final Map<String, Object> r = new LinkedHashMap<>();
      r.put("received_at", Instant.ofEpochMilli(s.receivedAtMillis()).toString());
      r.put("receiver", s.receiver());
      r.put("service", s.service());
      r.put("name", s.name());
      r.put("trace_id", s.traceId());
      r.put("span_id", s.spanId());
      r.put("parent_span_id", s.parentSpanId());
      r.put("attributes", s.attributes());
      spans.add(r);
    }
    m.put("recent_spans", spans);
    return m;
  }

  private static List<String> ids(List<ComponentId> ids) {
    return ids.stream().map(ComponentId::toString).toList();
  }

  private Map<String, Object> exporter(String id, TraceExporter exporter) {
    final Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", id);
    // an exporter made of others (loadbalancing) shows their sum
    final Set<String> metered = exporter.meteredUnder();
    e.put("queue_size", (long) total(ExporterTelemetry.QUEUE_SIZE, metered));
    e.put("queue_capacity", (long) total(ExporterTelemetry.QUEUE_CAPACITY, metered));
    e.put("sent_spans", (long) total(ExporterTelemetry.SENT_SPANS, metered));
    e.put("send_failed_spans", (long) total(ExporterTelemetry.SEND_FAILED_SPANS, metered));
    e.put("enqueue_failed_spans", (long) total(ExporterTelemetry.ENQUEUE_FAILED_SPANS, metered));
    e.put("retries", (long) total(ExporterTelemetry.RETRIES, metered));
    final StatusRecorder.ExporterState state = recorder.exporter(id);
    e.put("last_error", state.lastError());
    e.put(
        "last_error_at",
        state.lastErrorAtMillis() == 0
            ? ""
            : Instant.ofEpochMilli(state.lastErrorAtMillis()).toString());
    e.put(
        "last_sent_at",
        state.lastSentAtMillis() == 0
            ? ""
            : Instant.ofEpochMilli(state.lastSentAtMillis()).toString());
    e.put("last_sent", asSent(exporter, state.lastSent()));
    return e;
  }

  /** The last accepted batch as the backend got it, in OTLP/JSON, redacted for display. */
  private String asSent(TraceExporter exporter, TraceBatch batch) {
    if (batch == null) {
      return "";
    }
    try {
      final String json = OtlpJson.printTraces(redactor.redact(exporter.asSent(batch).request()));
      return json.length() <= MAX_AS_SENT_CHARS
          ? json
          : json.substring(0, MAX_AS_SENT_CHARS) + "\n… (" + json.length() + " chars in all)";
    } catch (RuntimeException e) {
      return "cannot show the batch: " + e;
    }
  }

  private Map<String, Object> drops() {
    final Map<String, Long> reasons = new TreeMap<>();
    for (Counter c : meters.find("genai_normalizer.processor.dropped.spans").counters()) {
      reasons.merge(c.getId().getTag("reason"), (long) c.count(), Long::sum);
    }
    final Map<String, Object> d = new LinkedHashMap<>();
    d.put("processor_dropped_spans_by_reason", reasons);
    d.put("receiver_refused_spans", (long) sum("otelcol.receiver.refused.spans"));
    d.put("exporter_send_failed_spans", (long) sum(ExporterTelemetry.SEND_FAILED_SPANS));
    d.put("exporter_enqueue_failed_spans", (long) sum(ExporterTelemetry.ENQUEUE_FAILED_SPANS));
    return d;
  }

  private double sum(String name) {
    double total = 0;
    for (Counter c : meters.find(name).counters()) {
      total += c.count();
    }
    return total;
  }

  /**
   * The counter or gauge {@code name} summed over the exporters {@code exporterIds}. A stopped
   * exporter's gauges are gone: its queue counts as empty.
   */
  private double total(String name, Set<String> exporterIds) {
    double total = 0;
    for (String id : exporterIds) {
      for (Meter m : meters.find(name).tag(ExporterTelemetry.TAG_EXPORTER, id).meters()) {
        total += m.measure().iterator().next().getValue(); // a counter's count, a gauge's value
      }
    }
    return total;
  }

  String json() {
    try {
      return JSON.writeValueAsString(model());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status model is not serializable", e);
    }
  }

  @SuppressWarnings("unchecked")
  String html() {
    final Map<String, Object> m = model();
    final StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>genai-normalizer status</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin-bottom:1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}")
        .append(
            "th{background:#f3f3f3}pre{background:#f8f8f8;padding:.5em;max-height:24em;overflow:auto;")
        .append("white-space:pre-wrap;word-break:break-all}.err{color:#b00}")
        .append("</style></head><body>\n");
    h.append("<h1>genai-normalizer</h1>\n<p id=\"summary\">version <b>")
        .append(esc(m.get("version")))
        .append("</b> · up ")
        .append(
            esc(
                Duration.ofSeconds((Long) m.get("uptime_seconds"))
                    .toString()
                    .substring(2)
                    .toLowerCase()))
        .append(" · started ")
        .append(esc(m.get("started_at")))
        .append(" · ")
        .append(
            Boolean.TRUE.equals(m.get("ready")) ? "ready" : "<span class=\"err\">not ready</span>")
        .append(" · <a href=\"/status.json\">JSON</a> · <a href=\"/metrics\">metrics</a>")
        .append(
            Boolean.TRUE.equals(m.get("show_content"))
                ? ""
                : " · prompt and completion text hidden (service.telemetry.admin.show_content)")
        .append("</p>\n");

    h.append(
        "<h2>Pipelines</h2>\n<table id=\"pipelines\"><tr><th>pipeline</th><th>receivers</th><th>processors</th><th>exporters</th></tr>\n");
    for (Map<String, Object> p : (List<Map<String, Object>>) m.get("pipelines")) {
      h.append("<tr class=\"pipeline\"><td>")
          .append(esc(p.get("id")))
          .append("</td><td>")
          .append(esc(String.join(", ", (List<String>) p.get("receivers"))))
          .append("</td><td>")
          .append(esc(String.join(" → ", (List<String>) p.get("processors"))))
          .append("</td><td>")
          .append(esc(String.join(", ", (List<String>) p.get("exporters"))))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append(
            "<h2>Exporters</h2>\n<table id=\"exporters\"><tr><th>exporter</th><th>queue</th><th>sent</th>")
        .append(
            "<th>send failed</th><th>enqueue failed</th><th>retries</th><th>last error</th></tr>\n");
    final List<Map<String, Object>> exporters = (List<Map<String, Object>>) m.get("exporters");
    for (Map<String, Object> e : exporters) {
      h.append("<tr class=\"exporter\"><td>")
          .append(esc(e.get("id")))
          .append("</td><td>")
          .append(esc(e.get("queue_size")))
          .append(" / ")
          .append(esc(e.get("queue_capacity")))
          .append("</td><td>")
          .append(esc(e.get("sent_spans")))
          .append("</td><td>")
          .append(esc(e.get("send_failed_spans")))
          .append("</td><td>")
          .append(esc(e.get("enqueue_failed_spans")))
          .append("</td><td>")
          .append(esc(e.get("retries")))
          .append("</td><td class=\"err\">")
          .append(esc(e.get("last_error")));
      if (!"".equals(e.get("last_error_at"))) {
        h.append(" <small>(").append(esc(e.get("last_error_at"))).append(")</small>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (Map<String, Object> e : exporters) {
      h.append("<details class=\"as-sent\"><summary>Last batch as sent by ")
          .append(esc(e.get("id")));
      if ("".equals(e.get("last_sent_at"))) {
        h.append(": nothing sent yet</summary></details>\n");
      } else {
        h.append(" at ")
            .append(esc(e.get("last_sent_at")))
            .append("</summary><pre>")
            .append(esc(e.get("last_sent")))
            .append("</pre></details>\n");
      }
    }

    final Map<String, Object> drops = (Map<String, Object>) m.get("drops");
    h.append("<h2>Drops</h2>\n<table id=\"drops\"><tr><th>what</th><th>spans</th></tr>\n");
    ((Map<String, Long>) drops.get("processor_dropped_spans_by_reason"))
        .forEach(
            (reason, n) ->
                h.append("<tr><td>dropped by a processor: ")
                    .append(esc(reason))
                    .append("</td><td>")
                    .append(n)
                    .append("</td></tr>\n"));
    h.append("<tr><td>refused by receivers</td><td>")
        .append(esc(drops.get("receiver_refused_spans")))
        .append("</td></tr>\n")
        .append("<tr><td>failed to send</td><td>")
        .append(esc(drops.get("exporter_send_failed_spans")))
        .append("</td></tr>\n")
        .append("<tr><td>queue full</td><td>")
        .append(esc(drops.get("exporter_enqueue_failed_spans")))
        .append("</td></tr>\n")
        .append("</table>\n");

    final List<Map<String, Object>> spans = (List<Map<String, Object>>) m.get("recent_spans");
    h.append("<h2>Last ").append(StatusRecorder.RECENT_SPANS).append(" spans received</h2>\n");
    if (spans.isEmpty()) {
      h.append("<p id=\"no-spans\">No span received yet.</p>\n");
    }
    h.append(
            "<table id=\"recent-spans\"><tr><th>received</th><th>receiver</th><th>service</th><th>span</th>")
        .append("<th>trace / span / parent</th><th>attributes</th></tr>\n");
    for (Map<String, Object> s : spans) {
      h.append("<tr class=\"span\"><td>")
          .append(esc(s.get("received_at")))
          .append("</td><td>")
          .append(esc(s.get("receiver")))
          .append("</td><td>")
          .append(esc(s.get("service")))
          .append("</td><td class=\"span-name\">")
          .append(esc(s.get("name")))
          .append("</td><td><code>")
          .append(esc(s.get("trace_id")))
          .append("<br>")
          .append(esc(s.get("span_id")))
          .append("<br>")
          .append(esc(s.get("parent_span_id")))
          .append("</code></td><td><details><summary>")
          .append(((Map<String, String>) s.get("attributes")).size())
          .append(" attributes</summary><table>");
      ((Map<String, String>) s.get("attributes"))
          .forEach(
              (k, v) ->
                  h.append("<tr><td>")
                      .append(esc(k))
                      .append("</td><td>")
                      .append(esc(v))
                      .append("</td></tr>"));
      h.append("</table></details></td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  static String esc(Object o) {
    final String s = String.valueOf(o);
    final StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
