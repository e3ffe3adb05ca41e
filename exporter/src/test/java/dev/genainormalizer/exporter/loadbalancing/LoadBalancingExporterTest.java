package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.otlp.OtlpGrpcSender;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three real OTLP/gRPC sinks on loopback behind one {@code loadbalancing} exporter. */
class LoadBalancingExporterTest {
  private final List<Sink> sinks = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Random random = new Random(7);
  private TraceExporter exporter;

  /** Records every span it gets; answers UNAVAILABLE while {@link #failing}. */
  static final class Sink extends TraceServiceGrpc.TraceServiceImplBase {
    final Map<ByteString, Integer> spansByTrace = new ConcurrentHashMap<>();
    final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();
    Server server;

    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
      if (failing.get()) {
        out.onError(Status.UNAVAILABLE.withDescription("test: failing").asRuntimeException());
        return;
      }
      requests.add(request);
      request
          .getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(
                          ss ->
                              ss.getSpansList()
                                  .forEach(
                                      s -> spansByTrace.merge(s.getTraceId(), 1, Integer::sum))));
      out.onNext(ExportTraceServiceResponse.getDefaultInstance());
      out.onCompleted();
    }

    String endpoint() {
      return "127.0.0.1:" + server.activeLocalPort();
    }
  }

  /** Membership the test changes; re-read by the exporter every 100ms. */
  static final class MutableResolver implements EndpointResolver {
    volatile List<String> endpoints;

    MutableResolver(List<String> endpoints) {
      this.endpoints = endpoints;
    }

    @Override
    public List<String> resolve() {
      return endpoints;
    }

    @Override
    public boolean dynamic() {
      return true;
    }

    @Override
    public String toString() {
      return "test resolver";
    }
  }

  @BeforeEach
  void startSinks() {
    for (int i = 0; i < 3; i++) {
      final Sink sink = new Sink();
      sink.server =
          Server.builder()
              .http(0)
              .requestTimeout(Duration.ZERO)
              .service(GrpcService.builder().addService(sink).build())
              .build();
      sink.server.start().join();
      sinks.add(sink);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (exporter != null) {
      exporter.shutdown(Duration.ofSeconds(1)).get(20, TimeUnit.SECONDS);
    }
    // Not joined: each stop waits ~2 s for Armeria's acceptor threads, and the next test has its
    // own sinks.
    sinks.forEach(s -> s.server.stop());
  }

  private LoadBalancingExporter exporter(EndpointResolver resolver) {
    return exporter(resolver, UnaryOperator.identity());
  }

  private LoadBalancingExporter exporter(
      EndpointResolver resolver, UnaryOperator<TraceBatch> mapping) {
    final LoadBalancingExporter lb = unstarted(resolver, mapping);
    lb.start();
    return lb;
  }

  private LoadBalancingExporter unstarted(
      EndpointResolver resolver, UnaryOperator<TraceBatch> mapping) {
    final ExporterSettings settings =
        new ExporterSettings(
            ComponentId.parse("loadbalancing/test"),
            registry,
            Clock.SYSTEM,
            MemoryBudget.unlimited());
    final RetryConfig d = RetryConfig.defaults();
    final RetryConfig fastRetry =
        new RetryConfig(
            true,
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ZERO,
            d.multiplier(),
            d.randomizationFactor());
    final LoadBalancingExporter lb =
        new LoadBalancingExporter(
            settings,
            resolver,
            Duration.ofMillis(100),
            fastRetry,
            new QueueConfig(1000, 4),
            endpoint ->
                OtlpGrpcSender.builder().endpoint(endpoint).compression(Compression.NONE).build(),
            mapping);
    exporter = lb;
    return lb;
  }

  private ByteString freshTraceId() {
    final byte[] b = new byte[16];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /** Traces of 3 spans each, every trace spread over 2 or 3 batches. */
  private List<TraceBatch> splitTraces(List<ByteString> ids) {
    final int batches = 30;
    final List<List<Span>> spans = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      spans.add(new ArrayList<>());
    }
    int k = 0;
    for (ByteString id : ids) {
      for (int s = 0; s < 3; s++) {
        final Span span =
            Span.newBuilder()
                .setTraceId(id)
                .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) s}))
                .setName("span-" + s)
                .build();
        spans.get((k + s * 7) % batches).add(span); // 3 spans of a trace in 3 different batches
      }
      k++;
    }
    final List<TraceBatch> out = new ArrayList<>();
    for (List<Span> l : spans) {
      out.add(
          TraceBatch.of(
              ExportTraceServiceRequest.newBuilder()
                  .addResourceSpans(
                      LoadBalancingSplitTest.resource("kong", "kong", l.toArray(Span[]::new)))
                  .build()));
    }
    return out;
  }

  private List<ByteString> traces(int n) {
    final List<ByteString> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(freshTraceId());
    }
    return ids;
  }

  private static Map<ByteString, Set<Integer>> owners(List<Sink> sinks) {
    final Map<ByteString, Set<Integer>> owners = new HashMap<>();
    for (int i = 0; i < sinks.size(); i++) {
      final int n = i;
      sinks
          .get(i)
          .spansByTrace
          .keySet()
          .forEach(t -> owners.computeIfAbsent(t, x -> new HashSet<>()).add(n));
    }
    return owners;
  }

  private int spansDelivered(ByteString trace) {
    return sinks.stream().mapToInt(s -> s.spansByTrace.getOrDefault(trace, 0)).sum();
  }

  @Test
  void everyTraceGoesWhollyToOneBackend() {
    exporter(new StaticResolver(sinks.stream().map(Sink::endpoint).toList()));
    final List<ByteString> ids = traces(300);
    for (TraceBatch b : splitTraces(ids)) {
      assertThat(exporter.export(b)).isTrue();
    }
    Await.until("every span delivered", () -> ids.stream().allMatch(t -> spansDelivered(t) >= 3));

    final Map<ByteString, Set<Integer>> owners = owners(sinks);
    assertThat(owners.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    owners.forEach((t, o) -> assertThat(o).as("sinks of one trace").hasSize(1));
    ids.forEach(t -> assertThat(spansDelivered(t)).isEqualTo(3));
    sinks.forEach(s -> assertThat(s.spansByTrace).as("every sink gets a share").isNotEmpty());
    System.out.printf(
        "LoadBalancingExporterTest: 300 traces; per sink %d/%d/%d%n",
        sinks.get(0).spansByTrace.size(),
        sinks.get(1).spansByTrace.size(),
        sinks.get(2).spansByTrace.size());
  }

  @Test
  void aRemovedEndpointsUnacknowledgedBatchesAreRerouted() {
    final MutableResolver resolver =
        new MutableResolver(sinks.stream().map(Sink::endpoint).sorted().toList());
    final LoadBalancingExporter lb = exporter(resolver);
    final Sink doomed = sinks.get(2);
    doomed.failing.set(true); // everything it owns stays queued and unacknowledged
    final List<ByteString> ids = traces(300);
    for (TraceBatch b : splitTraces(ids)) {
      assertThat(lb.export(b)).isTrue();
    }
    final List<ByteString> doomedTraces =
        ids.stream().filter(t -> lb.ring().endpointFor(t).equals(doomed.endpoint())).toList();
    assertThat(doomedTraces).isNotEmpty();
    Await.until(
        "the other traces delivered",
        () ->
            ids.stream()
                .filter(t -> !doomedTraces.contains(t))
                .allMatch(t -> spansDelivered(t) >= 3));

    resolver.endpoints = List.of(sinks.get(0).endpoint(), sinks.get(1).endpoint());
    Await.until(
        "every span delivered after re-routing",
        () -> ids.stream().allMatch(t -> spansDelivered(t) >= 3),
        () ->
            "delivered traces: "
                + ids.stream().filter(t -> spansDelivered(t) >= 3).count()
                + "/"
                + ids.size());

    assertThat(doomed.spansByTrace).isEmpty();
    final Map<ByteString, Set<Integer>> owners = owners(sinks);
    owners.forEach((t, o) -> assertThat(o).as("sinks of one trace").hasSize(1));
    final double rerouted = registry.get(LoadBalancingTelemetry.REROUTED_SPANS).counter().count();
    assertThat(rerouted).isEqualTo(doomedTraces.size() * 3.0);
    assertThat(registry.get(LoadBalancingTelemetry.ENDPOINTS).gauge().value()).isEqualTo(2.0);
    System.out.printf(
        "LoadBalancingExporterTest: %d of 300 traces owned by the removed endpoint, %.0f spans re-routed%n",
        doomedTraces.size(), rerouted);
  }

  @Test
  void everyBackendsAttemptsAreReportedAsThisExportersIncludingABackendThatJoinsLater() {
    final List<String> all = sinks.stream().map(Sink::endpoint).sorted().toList();
    final MutableResolver resolver = new MutableResolver(all.subList(0, 2));
    final LoadBalancingExporter lb = exporter(resolver);
    final Map<ByteString, Integer> reported = new ConcurrentHashMap<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    // set after start: reaches the backends built before it, and those built after
    lb.attemptListener(
        (batch, error) -> {
          if (error != null) {
            errors.add(error);
            return;
          }
          batch
              .request()
              .getResourceSpansList()
              .forEach(
                  rs ->
                      rs.getScopeSpansList()
                          .forEach(
                              ss ->
                                  ss.getSpansList()
                                      .forEach(
                                          sp -> reported.merge(sp.getTraceId(), 1, Integer::sum))));
        });
    final List<ByteString> before = traces(100);
    splitTraces(before).forEach(lb::export);
    Await.until(
        "every span's attempt reported",
        () -> before.stream().allMatch(t -> reported.getOrDefault(t, 0) >= 3));

    resolver.endpoints = all;
    Await.until("the third backend on the ring", () -> lb.ring().endpoints().size() == 3);
    final List<ByteString> after = traces(100);
    final List<ByteString> joined =
        after.stream().filter(t -> lb.ring().endpointFor(t).equals(all.get(2))).toList();
    assertThat(joined).as("traces the joined backend owns").isNotEmpty();
    splitTraces(after).forEach(lb::export);
    Await.until(
        "every span's attempt reported",
        () -> after.stream().allMatch(t -> reported.getOrDefault(t, 0) >= 3));

    final Sink third =
        sinks.stream().filter(s -> s.endpoint().equals(all.get(2))).findFirst().orElseThrow();
    assertThat(third.spansByTrace.keySet()).containsAll(joined);
    assertThat(errors).isEmpty();
  }

  @Test
  void aBackendsFailedAttemptIsReportedWithWhyAndCountsAsThisExportersRetry() {
    final Sink failing = sinks.get(0);
    failing.failing.set(true);
    final LoadBalancingExporter lb =
        exporter(new StaticResolver(List.of(failing.endpoint(), sinks.get(1).endpoint())));
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    lb.attemptListener(
        (batch, error) -> {
          if (error != null) {
            errors.add(error);
          }
        });
    splitTraces(traces(50)).forEach(lb::export);
    Await.until("a failed attempt reported", () -> !errors.isEmpty());
    assertThat(errors.get(0)).hasMessageContaining("UNAVAILABLE");
    Await.until("the retry counted", () -> sum(lb, "genai_normalizer.exporter.retries") > 0);
  }

  @Test
  void itsDescriptionNamesItAndItsBackendsAndItsFiguresAreTheirsRetiredOnesIncluded() {
    final String kept = sinks.get(0).endpoint();
    final String leaving = sinks.get(1).endpoint();
    final MutableResolver resolver = new MutableResolver(List.of(kept, leaving));
    final LoadBalancingExporter lb = unstarted(resolver, UnaryOperator.identity());
    assertThat(lb.description())
        .startsWith("loadbalancing")
        .contains("test resolver")
        .contains("no backend resolved yet");
    assertThat(lb.meteredUnder())
        .as("its own refusals' counter")
        .containsExactly("loadbalancing/test");

    lb.start();
    assertThat(lb.description()).contains(kept).contains(leaving);
    assertThat(lb.meteredUnder())
        .containsExactlyInAnyOrder("loadbalancing/test", childId(kept), childId(leaving));
    final List<ByteString> ids = traces(100);
    splitTraces(ids).forEach(lb::export);
    Await.until(
        "every span counted as sent",
        () -> sum(lb, "otelcol.exporter.sent.spans") == 300,
        () -> "sent: " + sum(lb, "otelcol.exporter.sent.spans"));
    assertThat(sinks.get(0).spansByTrace).isNotEmpty();
    assertThat(sinks.get(1).spansByTrace).isNotEmpty();

    resolver.endpoints = List.of(kept);
    Await.until("the leaving backend off the ring", () -> lb.ring().endpoints().size() == 1);
    assertThat(lb.description()).contains(kept).doesNotContain(leaving);
    assertThat(lb.meteredUnder())
        .as("a retired backend's counters keep what it sent")
        .containsExactlyInAnyOrder("loadbalancing/test", childId(kept), childId(leaving));
    assertThat(sum(lb, "otelcol.exporter.sent.spans")).isEqualTo(300);
  }

  @Test
  void everyBackendSendsThroughTheSharedMappingAndAsSentShowsWhatTheyGot() {
    final LoadBalancingExporter lb =
        exporter(
            new StaticResolver(sinks.stream().map(Sink::endpoint).toList()),
            LoadBalancingExporterTest::renamed);
    final List<TraceBatch> attempted = new CopyOnWriteArrayList<>();
    lb.attemptListener((batch, error) -> attempted.add(batch));
    final List<ByteString> ids = traces(60);
    final List<TraceBatch> batches = splitTraces(ids);
    assertThat(lb.asSent(batches.get(0))).isEqualTo(renamed(batches.get(0)));
    batches.forEach(lb::export);
    Await.until("every span delivered", () -> ids.stream().allMatch(t -> spansDelivered(t) >= 3));

    final List<ExportTraceServiceRequest> received = new ArrayList<>();
    sinks.forEach(s -> received.addAll(s.requests));
    received.forEach(
        r ->
            r.getResourceSpansList()
                .forEach(
                    rs ->
                        rs.getScopeSpansList()
                            .forEach(
                                ss ->
                                    ss.getSpansList()
                                        .forEach(
                                            sp ->
                                                assertThat(sp.getName()).endsWith(" (mapped)")))));
    Await.until("every attempt reported", () -> attempted.size() == received.size());
    for (TraceBatch b : attempted) {
      assertThat(received).as("an attempt as sent").contains(lb.asSent(b).request());
    }
  }

  private static TraceBatch renamed(TraceBatch batch) {
    final ExportTraceServiceRequest.Builder r = batch.request().toBuilder();
    r.getResourceSpansBuilderList()
        .forEach(
            rs ->
                rs.getScopeSpansBuilderList()
                    .forEach(
                        ss ->
                            ss.getSpansBuilderList()
                                .forEach(sp -> sp.setName(sp.getName() + " (mapped)"))));
    return TraceBatch.of(r.build());
  }

  private static String childId(String endpoint) {
    return "loadbalancing/test-" + endpoint.replace(':', '_');
  }

  /** A meter of the exporter helper, summed over the exporters {@code lb} is metered under. */
  private double sum(LoadBalancingExporter lb, String meter) {
    double total = 0;
    for (String id : lb.meteredUnder()) {
      final io.micrometer.core.instrument.Counter c =
          registry.find(meter).tag("exporter", id).counter();
      total += c == null ? 0 : c.count();
    }
    return total;
  }
}
