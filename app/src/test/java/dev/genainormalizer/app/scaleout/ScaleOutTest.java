package dev.genainormalizer.app.scaleout;

import static dev.genainormalizer.app.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace-aware scale-out on loopback, every service its own JVM: a router ({@code otlp} receiver +
 * {@code loadbalancing} with the {@code dns} resolver) in front of three normalizers ({@code [kong,
 * genai]}, disk queues) exporting to one sink. The router resolves the name {@code
 * normalizers.test} through a hosts file ({@code -Djdk.net.hosts.file}, cache TTL 0) listing
 * 127.0.0.1-3, the normalizers listening on the same port of those three addresses: editing the
 * file is a headless Service losing a pod. Kong chat traces with fresh ids, each split across 2-3
 * exports, are sent by concurrent senders. Prints the figures it measured.
 */
class ScaleOutTest {
  private static final String NAME = "normalizers.test";
  private static final Duration RESOLVE_INTERVAL = Duration.ofSeconds(1);
  private static final int SENDERS = 8;
  private static final int STEADY_TRACES = Integer.getInteger("scaleout.steadyTraces", 150);
  private static final int FAULT_TRACES = Integer.getInteger("scaleout.faultTraces", 300);
  private static final ExportTraceServiceRequest CHAT = TestTraces.fixture("kong-3.13-chat.json");

  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Sink sink = new Sink();
  private final Random random = new Random();
  private final WebClient client =
      WebClient.builder().responseTimeout(Duration.ofSeconds(30)).build();

  /** Every span the normalizers exported, by trace id. */
  static final class Sink extends TraceServiceGrpc.TraceServiceImplBase {
    final Map<ByteString, List<Span>> spans = new ConcurrentHashMap<>();
    final Server server =
        Server.builder()
            .http(0)
            .requestTimeout(Duration.ZERO)
            .service(GrpcService.builder().addService(this).build())
            .build();

    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
      request
          .getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(
                          ss ->
                              ss.getSpansList()
                                  .forEach(
                                      s ->
                                          spans
                                              .computeIfAbsent(
                                                  s.getTraceId(), t -> new CopyOnWriteArrayList<>())
                                              .add(s))));
      out.onNext(ExportTraceServiceResponse.getDefaultInstance());
      out.onCompleted();
    }

    int count(ByteString trace) {
      final List<Span> l = spans.get(trace);
      return l == null ? 0 : l.size();
    }

    /**
     * One Gen AI span, a root. A copy of that same span (same id) is at-least-once delivery after a
     * send that timed out on a busy machine, not a re-parenting fault, so it does not count here.
     */
    boolean rightlyParented(ByteString trace) {
      final List<Span> l = spans.get(trace);
      return l != null
          && l.stream().map(Span::getSpanId).distinct().count() == 1
          && l.stream().allMatch(s -> s.getParentSpanId().isEmpty());
    }

    /** What the sink holds for a trace: each span's name, id and parent, for a failure message. */
    String describe(ByteString trace) {
      final List<Span> l = spans.getOrDefault(trace, List.of());
      return l.stream()
          .map(
              s ->
                  s.getName() + " id=" + hex(s.getSpanId()) + " parent=" + hex(s.getParentSpanId()))
          .toList()
          .toString();
    }

    private static String hex(ByteString b) {
      final StringBuilder out = new StringBuilder();
      for (byte x : b.toByteArray()) {
        out.append(String.format("%02x", x));
      }
      return out.toString();
    }
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sink.server.stop().join();
  }

  @Test
  void splitTracesMeetOnOnePodAndAStoppedNormalizersShareIsRerouted() throws Exception {
    sink.server.start().join();
    final int grpcPort = ports.next();
    final Path hosts = dir.resolve("hosts");
    writeHosts(hosts, 3);
    final List<Process> normalizers = new ArrayList<>();
    final List<Integer> normalizerAdmin = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      final int admin = ports.next();
      normalizerAdmin.add(admin);
      normalizers.add(start("normalizer-" + i, normalizerConfig(i, grpcPort, admin), List.of()));
    }
    final int routerHttp = ports.next();
    final int routerAdmin = ports.next();
    start(
        "router",
        routerConfig(routerHttp, grpcPort, routerAdmin),
        List.of(
            "-Djdk.net.hosts.file=" + hosts,
            "-Dsun.net.inetaddr.ttl=0",
            "-Dsun.net.inetaddr.negative.ttl=0"));
    for (int admin : normalizerAdmin) {
      awaitReady(admin);
    }
    awaitReady(routerAdmin);
    try {
      until(
          Await.TIMEOUT,
          () -> gauge(routerAdmin, "genai_normalizer_loadbalancer_endpoints") == 3,
          "the router to see three normalizers");
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; router log: "
              + log("router")
              + "\nmetrics: "
              + metricsText(routerAdmin).lines().filter(l -> l.contains("loadbalanc")).toList(),
          e);
    }
    final String url = "http://127.0.0.1:" + routerHttp + "/v1/traces";

    // Steady state: every trace, split across exports, becomes one Gen AI span without a parent.
    final List<ByteString> steady = send(url, STEADY_TRACES, null).acknowledged;
    assertThat(steady).hasSize(STEADY_TRACES);
    until(
        Await.TIMEOUT,
        () -> steady.stream().allMatch(t -> sink.count(t) >= 1),
        "every steady-state trace at the sink");
    final long wrong = steady.stream().filter(t -> !sink.rightlyParented(t)).count();
    System.out.printf(
        "ScaleOutTest steady: %d traces sent split across 2-3 exports, %d acknowledged, "
            + "%d delivered as one root Gen AI span, %d otherwise%n",
        STEADY_TRACES, steady.size(), steady.size() - wrong, wrong);
    assertThat(wrong)
        .as(
            "traces not re-parented as on one process: %s",
            steady.stream()
                .filter(t -> !sink.rightlyParented(t))
                .limit(5)
                .map(sink::describe)
                .toList())
        .isZero();

    // One normalizer stopped mid-load: a third of the traces go out while all three run; then it is
    // stopped (SIGTERM: it drains its own queue to the sink) while it is still listed, so the
    // router
    // accepts and queues batches it cannot deliver there; only then does it leave the name, and the
    // router must re-route what it holds for it after the next resolution.
    final List<ByteString> acknowledged =
        new java.util.ArrayList<>(send(url, FAULT_TRACES / 3, null).acknowledged);
    normalizers.get(2).destroy();
    assertThat(normalizers.get(2).waitFor(60, TimeUnit.SECONDS))
        .as("stopped normalizer exited")
        .isTrue();
    acknowledged.addAll(send(url, FAULT_TRACES - FAULT_TRACES / 3, null).acknowledged);
    writeHosts(hosts, 2);
    final CompletableFuture<Long> removedAt = CompletableFuture.completedFuture(System.nanoTime());
    final Result fault = new Result(acknowledged);
    final long removedNanos = removedAt.get(90, TimeUnit.SECONDS);
    until(
        Await.TIMEOUT,
        () -> gauge(routerAdmin, "genai_normalizer_loadbalancer_endpoints") == 2,
        "the router to drop the stopped normalizer");
    final long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removedNanos);
    until(
        Duration.ofSeconds(90),
        () -> fault.acknowledged.stream().allMatch(t -> sink.count(t) >= 1),
        "every acknowledged trace at the sink");
    final double rerouted =
        gauge(routerAdmin, "genai_normalizer_loadbalancer_rerouted_spans_total");
    final long delivered = fault.acknowledged.stream().filter(t -> sink.count(t) >= 1).count();
    final long exact = fault.acknowledged.stream().filter(sink::rightlyParented).count();
    System.out.printf(
        "ScaleOutTest stop-one: %d traces sent, %d acknowledged, %d delivered (%d as exactly one root"
            + " Gen AI span), %.0f spans re-routed by the router; endpoints 3 -> 2 seen by the test %d ms after the"
            + " hosts change (resolve interval %d ms)%n",
        FAULT_TRACES,
        fault.acknowledged.size(),
        delivered,
        exact,
        rerouted,
        noticedMs,
        RESOLVE_INTERVAL.toMillis());
    assertThat(delivered).as("acknowledged traces delivered").isEqualTo(fault.acknowledged.size());
    assertThat(rerouted)
        .as("spans the router had queued for the stopped normalizer, re-routed")
        .isPositive();
    assertThat(fault.acknowledged.size())
        .as("the router keeps acknowledging")
        .isGreaterThan(FAULT_TRACES / 2);
  }

  record Result(List<ByteString> acknowledged) {}

  interface Progress {
    void done(int n) throws Exception;
  }

  /**
   * Sends {@code n} fresh Kong chat traces, each split across 2-3 exports, from concurrent senders.
   */
  private Result send(String url, int n, Progress progress) throws Exception {
    final Semaphore inFlight = new Semaphore(SENDERS);
    final List<ByteString> acknowledged = new CopyOnWriteArrayList<>();
    final AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      final ByteString trace = freshTraceId();
      final List<ExportTraceServiceRequest> parts = split(trace, 2 + random.nextInt(2));
      CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
      for (ExportTraceServiceRequest part : parts) {
        chain =
            chain.thenCompose(
                ok -> !ok ? CompletableFuture.completedFuture(false) : post(url, part));
      }
      chain.whenComplete(
          (ok, error) -> {
            if (error == null && ok) {
              acknowledged.add(trace);
            }
            finished.incrementAndGet();
            inFlight.release();
          });
      if (progress != null) {
        progress.done(i);
      }
    }
    inFlight.acquire(SENDERS);
    inFlight.release(SENDERS);
    return new Result(acknowledged);
  }

  private CompletableFuture<Boolean> post(String url, ExportTraceServiceRequest request) {
    return client
        .execute(
            RequestHeaders.builder(HttpMethod.POST, url).contentType(MediaType.PROTOBUF).build(),
            HttpData.wrap(request.toByteArray()))
        .aggregate()
        .thenApply(r -> r.status().code() == 200)
        .exceptionally(e -> false);
  }

  private ByteString freshTraceId() {
    final byte[] b = new byte[16];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /**
   * The chat fixture under a new trace id, its spans dealt round-robin into {@code parts} exports.
   */
  private static List<ExportTraceServiceRequest> split(ByteString trace, int parts) {
    final List<List<Span>> buckets = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      buckets.add(new ArrayList<>());
    }
    final ResourceSpans rs = CHAT.getResourceSpans(0);
    final ScopeSpans ss = rs.getScopeSpans(0);
    for (int i = 0; i < ss.getSpansCount(); i++) {
      buckets.get(i % parts).add(ss.getSpans(i).toBuilder().setTraceId(trace).build());
    }
    final List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (List<Span> b : buckets) {
      out.add(
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  rs.toBuilder()
                      .clearScopeSpans()
                      .addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(b)))
              .build());
    }
    return out;
  }

  private String normalizerConfig(int n, int grpcPort, int admin) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: { endpoint: 127.0.0." + n + ":" + grpcPort + " }",
        "      http: { enabled: false }",
        "processors:",
        // Long enough that a busy machine never splits a trace's parts across the wait (its spans
        // go out as soon as the trace is whole, so this costs nothing).
        "  kong: { trace_wait: 30s }",
        "  genai: {}",
        "exporters:",
        "  otlp:",
        "    endpoint: 127.0.0.1:" + sink.server.activeLocalPort(),
        "    compression: none",
        // A busy 2-core machine can answer slowly: a timed-out send is sent again (a duplicate).
        "    timeout: 60s",
        "    retry_on_failure: { initial_interval: 100ms, max_interval: 1s }",
        "    sending_queue:",
        "      storage: disk",
        "      directory: " + dir.resolve("queue-" + n),
        "      num_consumers: 2",
        "service:",
        "  shutdown_timeout: 5s",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [kong, genai]",
        "      exporters: [otlp]",
        "  telemetry:",
        "    admin: { endpoint: 127.0.0.1:" + admin + " }",
        "");
  }

  private static String routerConfig(int httpPort, int grpcPort, int admin) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http: { endpoint: 127.0.0.1:" + httpPort + " }",
        "      grpc: { enabled: false }",
        "exporters:",
        "  loadbalancing:",
        "    protocol:",
        "      otlp:",
        "        compression: none",
        "        timeout: 60s",
        "        retry_on_failure: { initial_interval: 100ms, max_interval: 500ms }",
        "    resolver:",
        "      dns: { hostname: "
            + NAME
            + ", port: "
            + grpcPort
            + ", interval: "
            + RESOLVE_INTERVAL.toMillis()
            + "ms }",
        "service:",
        "  shutdown_timeout: 5s",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      exporters: [loadbalancing]",
        "  telemetry:",
        "    admin: { endpoint: 127.0.0.1:" + admin + " }",
        "");
  }

  private static void writeHosts(Path hosts, int normalizers) throws IOException {
    final StringBuilder b = new StringBuilder();
    for (int i = 1; i <= normalizers; i++) {
      b.append("127.0.0.").append(i).append(' ').append(NAME).append('\n');
    }
    final Path tmp = hosts.resolveSibling("hosts.tmp");
    Files.writeString(tmp, b.toString());
    Files.move(
        tmp,
        hosts,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private Process start(String name, String yaml, List<String> jvmArgs) throws IOException {
    final Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, yaml);
    final List<String> command =
        ChildJvm.withHeap("192m")
            .quickStart()
            .option(jvmArgs.toArray(String[]::new))
            .command(List.of("run", "--config", config.toString()));
    final Process p =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(name + ".stdout.txt").toFile())
            .redirectError(dir.resolve(name + ".stderr.txt").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private void awaitReady(int admin) {
    until(
        ChildJvm.START_TIMEOUT,
        () -> {
          try {
            return client
                    .get("http://127.0.0.1:" + admin + "/readyz")
                    .aggregate()
                    .join()
                    .status()
                    .code()
                == 200;
          } catch (RuntimeException notYet) {
            return false;
          }
        },
        "/readyz on admin port " + admin + " (logs in " + dir + ")");
  }

  /** The tail of a service's stderr, for failure messages. */
  private String log(String name) {
    try {
      final String text = Files.readString(dir.resolve(name + ".stderr.txt"));
      return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String metricsText(int admin) {
    try {
      return client.get("http://127.0.0.1:" + admin + "/metrics").aggregate().join().contentUtf8();
    } catch (RuntimeException e) {
      return "(no /metrics: " + e + ")";
    }
  }

  private double gauge(int admin, String metric) {
    final String text;
    try {
      text = client.get("http://127.0.0.1:" + admin + "/metrics").aggregate().join().contentUtf8();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
    final Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
