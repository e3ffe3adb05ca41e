package dev.genainormalizer.bench;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark: starts the service jar as its own process with an OTLP/HTTP exporter to a
 * sink in this JVM, sends Kong-shaped batches (the chat fixture under fresh trace ids, 10 traces
 * per request) over OTLP/HTTP, and reports input spans/s, the service's CPU seconds per million
 * spans, p50/p99 request latency and the service's peak heap.
 *
 * <p>Usage: {@code java -jar bench/target/genai-normalizer-bench.jar [--jar PATH] [--requests N]
 * [--warmup N] [--concurrency N] [--traces-per-request N] [--processors kong,genai] [--heap 512m]}
 */
public final class LoadBench {
  private static final Pattern HEAP_USED =
      Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);
  private static final Pattern SENT_SPANS =
      Pattern.compile("^otelcol_exporter_sent_spans_total\\{[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    final Options options = Options.parse(args);
    final ExportTraceServiceRequest chat = loadChatFixture();
    final AtomicLong sinkSpans = new AtomicLong();
    final Server sink = startSink(sinkSpans);
    final int httpPort = freePort();
    final int adminPort = freePort();
    final Path config = Files.createTempFile("bench-config", ".yaml");
    Files.writeString(config, config(options, httpPort, adminPort, sink.activeLocalPort()));
    final Path log = Files.createTempFile("bench-service", ".log");
    final Process service =
        new ProcessBuilder(
                "java", "-Xmx" + options.heap, "-Xms" + options.heap, "-jar", options.jar,
                "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    final ClientFactory clientFactory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(4).build();
    final WebClient client =
        WebClient.builder("http://127.0.0.1:" + httpPort).factory(clientFactory).responseTimeoutMillis(30_000).build();
    final WebClient admin = WebClient.of("http://127.0.0.1:" + adminPort);
    try {
      awaitReady(admin, service, log);
      final SplittableRandom random = new SplittableRandom(42);
      System.out.printf(Locale.ROOT, "warm-up: %d requests%n", options.warmup);
      runLoad(client, chat, options.warmup, options.concurrency, options.tracesPerRequest, random, null);
      final long cpuBefore = cpuNanos(service);
      final long spansBefore = sinkSpans.get();
      final HeapSampler heap = new HeapSampler(admin);
      heap.start();
      final long[] latencies = new long[options.requests];
      final long start = System.nanoTime();
      runLoad(client, chat, options.requests, options.concurrency, options.tracesPerRequest, random, latencies);
      final long elapsed = System.nanoTime() - start;
      final long spansSent = (long) options.requests * options.tracesPerRequest * spanCount(chat);
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sinkSpans.get() - spansBefore < exportedPerInput(options) * spansSent && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      final long drained = System.nanoTime() - start;
      final long cpuAfter = cpuNanos(service);
      heap.stop();
      Arrays.sort(latencies);
      final double seconds = elapsed / 1e9;
      System.out.printf(Locale.ROOT, "requests            %d (%d traces each, %d spans per request), concurrency %d%n",
          options.requests, options.tracesPerRequest, options.tracesPerRequest * spanCount(chat), options.concurrency);
      System.out.printf(Locale.ROOT, "processors          %s%n", options.processors.isEmpty() ? "(none)" : options.processors);
      System.out.printf(Locale.ROOT, "input spans/s       %.0f%n", spansSent / seconds);
      System.out.printf(Locale.ROOT, "spans at sink       %d (%.1f s until all arrived)%n", sinkSpans.get() - spansBefore, drained / 1e9);
      System.out.printf(Locale.ROOT, "service CPU s / 1M input spans  %.2f%n", (cpuAfter - cpuBefore) / 1e9 / (spansSent / 1e6));
      System.out.printf(Locale.ROOT, "latency p50         %.2f ms%n", latencies[latencies.length / 2] / 1e6);
      System.out.printf(Locale.ROOT, "latency p99         %.2f ms%n", latencies[(int) (latencies.length * 0.99)] / 1e6);
      System.out.printf(Locale.ROOT, "service peak heap   %.0f MiB (of -Xmx%s)%n", heap.peakBytes() / 1048576.0, options.heap);
    } finally {
      service.destroy();
      service.waitFor(30, TimeUnit.SECONDS);
      sink.stop().join();
      clientFactory.close();
    }
  }

  /** The sink sees each input span once, or not at all for dropped Kong spans. */
  private static double exportedPerInput(Options options) {
    return options.processors.contains("kong") ? 1.0 / 9 : 1.0;
  }

  private static void runLoad(
      WebClient client, ExportTraceServiceRequest chat, int requests, int concurrency,
      int tracesPerRequest, SplittableRandom random, long[] latencies) throws InterruptedException {
    final Semaphore inFlight = new Semaphore(concurrency);
    final List<CompletableFuture<AggregatedHttpResponse>> pending = new ArrayList<>();
    final AtomicLong failures = new AtomicLong();
    for (int i = 0; i < requests; i++) {
      final byte[] body = batch(chat, tracesPerRequest, random).toByteArray();
      inFlight.acquire();
      final long sentAt = System.nanoTime();
      final int index = i;
      final CompletableFuture<AggregatedHttpResponse> f =
          client.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.PROTOBUF).build(),
                  HttpData.wrap(body))
              .aggregate()
              .whenComplete((response, error) -> {
                if (latencies != null) {
                  latencies[index] = System.nanoTime() - sentAt;
                }
                if (error != null || response.status().code() != 200) {
                  failures.incrementAndGet();
                }
                inFlight.release();
              });
      pending.add(f);
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    if (failures.get() > 0) {
      System.out.printf(Locale.ROOT, "WARNING: %d of %d requests were not answered 200%n", failures.get(), requests);
    }
  }

  /** {@code traces} copies of the chat trace, each under a fresh random trace id. */
  public static ExportTraceServiceRequest batch(ExportTraceServiceRequest chat, int traces, SplittableRandom random) {
    final ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (int t = 0; t < traces; t++) {
      final byte[] id = new byte[16];
      for (int i = 0; i < 16; i++) {
        id[i] = (byte) random.nextInt(256);
      }
      final ByteString traceId = ByteString.copyFrom(id);
      for (ResourceSpans rs : chat.getResourceSpansList()) {
        final ResourceSpans.Builder rsb = rs.toBuilder().clearScopeSpans();
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          final ScopeSpans.Builder ssb = ss.toBuilder().clearSpans();
          for (Span span : ss.getSpansList()) {
            ssb.addSpans(span.toBuilder().setTraceId(traceId));
          }
          rsb.addScopeSpans(ssb);
        }
        out.addResourceSpans(rsb);
      }
    }
    return out.build();
  }

  private static int spanCount(ExportTraceServiceRequest request) {
    return dev.genainormalizer.pipeline.TraceBatch.countSpans(request);
  }

  private static String config(Options options, int httpPort, int adminPort, int sinkPort) {
    return String.join("\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http: { endpoint: 127.0.0.1:" + httpPort + " }",
        "      grpc: { enabled: false }",
        processorsSection(options.processors),
        "exporters:",
        "  otlphttp:",
        "    endpoint: http://127.0.0.1:" + sinkPort,
        "    compression: none",
        "service:",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        options.processors.isEmpty() ? "" : "      processors: [" + options.processors + "]",
        "      exporters: [otlphttp]",
        "  telemetry:",
        "    admin: { endpoint: 127.0.0.1:" + adminPort + " }",
        "");
  }

  private static String processorsSection(String processors) {
    if (processors.isEmpty()) {
      return "";
    }
    final StringBuilder out = new StringBuilder("processors:");
    for (String id : processors.split(",")) {
      out.append("\n  ").append(id.trim()).append(": {}");
    }
    return out.toString();
  }

  private static Server startSink(AtomicLong spans) {
    final Server server = Server.builder()
        .http(0)
        .maxRequestLength(64 * 1024 * 1024)
        .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          try {
            spans.addAndGet(spanCount(ExportTraceServiceRequest.parseFrom(agg.content().array())));
            return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF,
                ExportTraceServiceResponse.getDefaultInstance().toByteArray());
          } catch (IOException e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
        })))
        .build();
    server.start().join();
    return server;
  }

  private static void awaitReady(WebClient admin, Process service, Path log) throws Exception {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("service exited: " + Files.readString(log));
      }
      try {
        if (admin.get("/readyz").aggregate().join().status().code() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("service not ready after 60 s: " + Files.readString(log));
  }

  private static long cpuNanos(Process process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private static ExportTraceServiceRequest loadChatFixture() throws IOException {
    try (InputStream in = LoadBench.class.getResourceAsStream("/fixtures/kong-3.13-chat.json")) {
      return OtlpJson.parseTraces(in.readAllBytes());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Samples the service's heap use from its own /metrics while the load runs. */
  private static final class HeapSampler {
    private final WebClient admin;
    private volatile boolean running = true;
    private volatile double peak;
    private final Thread thread;

    HeapSampler(WebClient admin) {
      this.admin = admin;
      this.thread = new Thread(this::loop, "heap-sampler");
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    double peakBytes() {
      return peak;
    }

    private void loop() {
      while (running) {
        try {
          final String text = admin.get("/metrics").aggregate().join().contentUtf8();
          double used = 0;
          final Matcher m = HEAP_USED.matcher(text);
          while (m.find()) {
            used += Double.parseDouble(m.group(1));
          }
          peak = Math.max(peak, used);
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // the service may be busy; try again
        }
      }
    }
  }

  private record Options(String jar, int requests, int warmup, int concurrency, int tracesPerRequest,
      String processors, String heap) {
    static Options parse(String[] args) {
      String jar = "app/target/genai-normalizer.jar";
      int requests = 20_000;
      int warmup = 5_000;
      int concurrency = 32;
      int traces = 10;
      String processors = "";
      String heap = "512m";
      for (int i = 0; i < args.length; i++) {
        final String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--jar" -> jar = value;
          case "--requests" -> requests = Integer.parseInt(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--concurrency" -> concurrency = Integer.parseInt(value);
          case "--traces-per-request" -> traces = Integer.parseInt(value);
          case "--processors" -> processors = value;
          case "--heap" -> heap = value;
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (expected: --jar, --requests, --warmup, --concurrency, --traces-per-request, --processors, --heap)");
        }
        i++;
      }
      return new Options(jar, requests, warmup, concurrency, traces, processors, heap);
    }
  }
}
