package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.config.MeterSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The meters of the {@code otlp} receiver, named as the Collector's so that existing dashboards
 * work (Prometheus renders {@code otelcol.receiver.accepted.spans} as {@code
 * otelcol_receiver_accepted_spans_total}). Tags: {@code receiver} (the component id) and {@code
 * transport} ({@code grpc} or {@code http}).
 */
public final class OtlpReceiverTelemetry {
  public static final String ACCEPTED_SPANS = "otelcol.receiver.accepted.spans";
  public static final String ACCEPTED_SPANS_DESCRIPTION =
      "Spans handed to the pipelines and accepted by them.";
  public static final String REFUSED_SPANS = "otelcol.receiver.refused.spans";
  public static final String REFUSED_SPANS_DESCRIPTION =
      "Spans decoded but not accepted: refused because the service is over its memory budget or"
          + " an exporter's queue is full, rejected by the pipelines (partial success), or lost to"
          + " a pipeline error. Requests refused before their body was read are not decoded, so"
          + " their spans are not counted here (see otelcol.receiver.requests).";
  public static final String REQUESTS = "otelcol.receiver.requests";
  public static final String REQUESTS_DESCRIPTION =
      "Export requests by outcome: success (200/OK, also partial success), refused"
          + " (503/UNAVAILABLE, retryable) or failure (bad or over-size request,"
          + " 4xx/INVALID_ARGUMENT/RESOURCE_EXHAUSTED).";
  public static final String TAG_RECEIVER = "receiver";
  public static final String TAG_TRANSPORT = "transport";
  public static final String TAG_OUTCOME = "outcome";
  public static final String UNIT_SPANS = "{spans}";
  public static final String UNIT_REQUESTS = "{requests}";

  /**
   * Every meter of this receiver, for {@code docs/telemetry.md}. No base unit: Micrometer's
   * Prometheus naming would append it ({@code otelcol_receiver_accepted_spans__spans__total}) and
   * break the Collector's names.
   */
  public static final List<MeterSpec> METERS =
      List.of(
          MeterSpec.counter(
              ACCEPTED_SPANS, "", ACCEPTED_SPANS_DESCRIPTION, TAG_RECEIVER, TAG_TRANSPORT),
          MeterSpec.counter(
              REFUSED_SPANS, "", REFUSED_SPANS_DESCRIPTION, TAG_RECEIVER, TAG_TRANSPORT),
          MeterSpec.counter(
              REQUESTS, "", REQUESTS_DESCRIPTION, TAG_RECEIVER, TAG_TRANSPORT, TAG_OUTCOME));

  /** Where a request came in. */
  enum Transport {
    GRPC("grpc"),
    HTTP("http");

    final String tag;

    Transport(String tag) {
      this.tag = tag;
    }
  }

  /** How one request ended, for {@link #REQUESTS}. */
  enum Outcome {
    SUCCESS("success"),
    REFUSED("refused"),
    FAILURE("failure");

    final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }
  }

  private final Map<Transport, Counter> accepted = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> refused = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<Outcome, Counter>> requests = new EnumMap<>(Transport.class);

  OtlpReceiverTelemetry(String receiverId, MeterRegistry registry) {
    for (Transport t : Transport.values()) {
      accepted.put(
          t,
          Counter.builder(ACCEPTED_SPANS)
              .description(ACCEPTED_SPANS_DESCRIPTION)
              .tag(TAG_RECEIVER, receiverId)
              .tag(TAG_TRANSPORT, t.tag)
              .register(registry));
      refused.put(
          t,
          Counter.builder(REFUSED_SPANS)
              .description(REFUSED_SPANS_DESCRIPTION)
              .tag(TAG_RECEIVER, receiverId)
              .tag(TAG_TRANSPORT, t.tag)
              .register(registry));
      final Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(
            o,
            Counter.builder(REQUESTS)
                .description(REQUESTS_DESCRIPTION)
                .tag(TAG_RECEIVER, receiverId)
                .tag(TAG_TRANSPORT, t.tag)
                .tag(TAG_OUTCOME, o.tag)
                .register(registry));
      }
      requests.put(t, byOutcome);
    }
  }

  void accepted(Transport transport, long spans) {
    if (spans > 0) {
      accepted.get(transport).increment(spans);
    }
  }

  void refused(Transport transport, long spans) {
    if (spans > 0) {
      refused.get(transport).increment(spans);
    }
  }

  void request(Transport transport, Outcome outcome) {
    requests.get(transport).get(outcome).increment();
  }
}
