package dev.genainormalizer.bench;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark: starts the service jar as its own process with an OTLP/HTTP exporter to a
 * {@link Sink} (in this JVM unless {@code --sink process}), sends Kong-shaped batches (the chat
 * fixture under fresh trace ids, 10 traces per request) over OTLP/HTTP, and reports input spans/s,
 * the service's CPU seconds per million spans, p50/p99 request latency, what reached the sink and
 * how fast, the mean export attempt, and the service's peak heap.
 *
 * <p>Usage: {@code java -jar bench/target/genai-normalizer-bench.jar [--jar PATH] [--requests N]
 * [--warmup N] [--concurrency N] [--traces-per-request N] [--processors kong,genai] [--heap 512m]
 * [--sink process|inprocess] [--rate REQUESTS_PER_SECOND] [--num-consumers N] [--on-full
 * drop|refuse] [--compression none|gzip|default] [--batching on|off|both]}; {@code --batching both}
 * runs the service twice, with {@code sending_queue.batch} off and on, and prints the two side by
 * side. Around each run it measures the protobuf floor (decode + encode of the bodies it sends, on
 * one thread) and prints the service's ratio to it; {@code [--check MAX_RATIO] [--check-no-shed]}
 * make it exit 1, with one line per failing run, when a run's ratio is above {@code MAX_RATIO} or
 * its exporter shed spans in the measured phase.
 */
public final class LoadBench {
  private static final Pattern HEAP_USED =
      Pattern.compile(
          "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);
  private static final Pattern ENQUEUE_FAILED =
      Pattern.compile(
          "^otelcol_exporter_enqueue_failed_spans_total\\{[^}]*\\} ([0-9.eE+]+)$",
          Pattern.MULTILINE);

  private static final Pattern SEND_COUNT =
      Pattern.compile(
          "^genai_normalizer_exporter_send_duration_seconds_count\\{[^}]*outcome=\"success\"[^}]*\\} ([0-9.eE+]+)$",
          Pattern.MULTILINE);
  private static final Pattern SEND_SUM =
      Pattern.compile(
          "^genai_normalizer_exporter_send_duration_seconds_sum\\{[^}]*outcome=\"success\"[^}]*\\} ([0-9.eE+]+)$",
          Pattern.MULTILINE);

  private LoadBench() {}

  /** What one run measured, for the side-by-side summary of {@code --batching both}. */
  private record Result(
      String batching,
      double acceptedSpansPerSecond,
      double deliveredSpansPerSecond,
      double requestsPerSecond,
      double enqueueFailed,
      double enqueueFailedWarmup,
      double spansPerServiceCpuSecond,
      double deliveredPerServiceCpuSecond,
      double p99Millis) {}

  /** A run's figures next to the protobuf floor measured around it. */
  private record Run(Result result, FloorComparison floor) {}

  public static void main(String[] args) throws Exception {
    final Options options = Options.parse(args);
    final ExportTraceServiceRequest chat = loadChatFixture();
    final ProtobufFloor floor = floor(chat, options.tracesPerRequest);
    final List<Run> runs = new ArrayList<>();
    for (String batching :
        options.batching.equals("both") ? List.of("off", "on") : List.of(options.batching)) {
      // measured while neither the service nor the sink runs, so that they do not share the cores
      final double floorBefore = floor.spansPerCpuSecond();
      final Result result = measure(options, batching, chat);
      final FloorComparison comparison =
          new FloorComparison(
              floorBefore, floor.spansPerCpuSecond(), result.spansPerServiceCpuSecond());
      printFloor(comparison);
      runs.add(new Run(result, comparison));
    }
    if (runs.size() > 1) {
      System.out.println();
      new SideBySide<>(runs, 34)
          .row("sending_queue.batch", "%14s", r -> r.result().batching())
          .row("input spans/s accepted", "%14.0f", r -> r.result().acceptedSpansPerSecond())
          .row("spans delivered/s", "%14.0f", r -> r.result().deliveredSpansPerSecond())
          .row("requests sent/s", "%14.1f", r -> r.result().requestsPerSecond())
          .row("enqueue_failed spans (measured)", "%14.0f", r -> r.result().enqueueFailed())
          .row("enqueue_failed spans (warm-up)", "%14.0f", r -> r.result().enqueueFailedWarmup())
          .row(
              "input spans per service CPU-s", "%14.0f", r -> r.result().spansPerServiceCpuSecond())
          .row(
              "delivered spans per service CPU-s",
              "%14.0f",
              r -> r.result().deliveredPerServiceCpuSecond())
          .row("protobuf floor spans per CPU-s", "%14.0f", r -> r.floor().floorSpansPerCpuSecond())
          .row("ratio to the floor", "%14.1f", r -> r.floor().ratio())
          .row("latency p99 (ms)", "%14.1f", r -> r.result().p99Millis());
    }
    if (options.check.enabled() && !passes(options.check, runs)) {
      System.exit(1);
    }
  }

  /** Prints the check's verdict, one line per failing run; returns whether every run passed. */
  private static boolean passes(ReleaseCheck check, List<Run> runs) {
    boolean passed = true;
    for (Run run : runs) {
      final Optional<String> failure =
          check.failure(
              "batching " + run.result().batching(),
              run.floor().ratio(),
              run.result().enqueueFailed());
      if (failure.isPresent()) {
        System.out.println("CHECK FAILED " + failure.get());
        passed = false;
      }
    }
    if (passed) {
      System.out.println("check passed");
    }
    return passed;
  }

  /**
   * The floor over bodies the way {@link #runLoad} makes the ones it sends: the same template,
   * fresh trace ids per body, so the same bytes but for the ids.
   */
  private static ProtobufFloor floor(ExportTraceServiceRequest chat, int tracesPerRequest) {
    final SplittableRandom random = new SplittableRandom(42);
    final BodyTemplate template = BodyTemplate.of(chat, tracesPerRequest, random);
    final List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      bodies.add(template.next(random));
    }
    return new ProtobufFloor(bodies, tracesPerRequest * spanCount(chat));
  }

  private static void printFloor(FloorComparison comparison) {
    System.out.printf(
        Locale.ROOT,
        "protobuf floor      %.0f spans per CPU-s (decode + encode of the bodies sent, one thread;"
            + " %.0f before the run, %.0f after)%n",
        comparison.floorSpansPerCpuSecond(),
        comparison.floorBefore(),
        comparison.floorAfter());
    System.out.printf(
        Locale.ROOT,
        "service             %.0f input spans per CPU-s%n",
        comparison.serviceSpansPerCpuSecond());
    System.out.printf(
        Locale.ROOT,
        "ratio to the floor  %.1f (service CPU per span / floor CPU per span)%n",
        comparison.ratio());
  }

  /** One run: a fresh sink and service process, warm-up, measured load, report. */
  private static Result measure(Options options, String batching, ExportTraceServiceRequest chat)
      throws Exception {
    final SinkHandle sink = SinkHandle.start(options.sink);
    final int httpPort = freePort();
    final int adminPort = freePort();
    final Path config = Files.createTempFile("bench-config", ".yaml");
    Files.writeString(config, config(options, batching, httpPort, adminPort, sink.port()));
    final Path log = Files.createTempFile("bench-service", ".log");
    final List<String> command = new ArrayList<>();
    command.add("java");
    command.add("-Xmx" + options.heap);
    command.add("-Xms" + options.heap);
    // e.g. -XX:StartFlightRecording=... to profile the service under the bench's load
    command.addAll(options.serviceJvmOptions);
    command.addAll(List.of("-jar", options.jar, "run", "--config", config.toString()));
    final Process service =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final ClientFactory clientFactory =
        ClientFactory.builder().maxNumEventLoopsPerEndpoint(4).build();
    final WebClient client =
        WebClient.builder("http://127.0.0.1:" + httpPort)
            .factory(clientFactory)
            .responseTimeoutMillis(30_000)
            .build();
    final WebClient admin = WebClient.of("http://127.0.0.1:" + adminPort);
    try {
      awaitReady(admin, service, log);
      System.out.printf(
          Locale.ROOT, "service pid %d, sending_queue.batch %s%n", service.pid(), batching);
      final SplittableRandom random = new SplittableRandom(42);
      System.out.printf(Locale.ROOT, "warm-up: %d requests%n", options.warmup);
      runLoad(
          client,
          chat,
          options.warmup,
          options.concurrency,
          options.tracesPerRequest,
          0,
          random,
          null);
      final int warmupRequests = options.warmup + settleJit(service, client, chat, options, random);
      // let the warm-up's backlog reach the sink, so that the measured phase counts only its own
      // spans
      awaitQuiet(
          sink,
          (long)
              (exportedPerInput(options)
                  * warmupRequests
                  * options.tracesPerRequest
                  * spanCount(chat)));
      System.out.printf(Locale.ROOT, "measuring: %d requests%n", options.requests);
      final long cpuBefore = cpuNanos(service);
      final Optional<ThreadCpu> threadsBefore = ThreadCpu.of(service.pid());
      final long spansBefore = sink.spans();
      final long sinkCpuBefore = sink.cpuNanos();
      sink.markRequests();
      final double sendCountBefore = number(admin, SEND_COUNT);
      final double failedBefore = number(admin, ENQUEUE_FAILED);
      final double sendSumBefore = number(admin, SEND_SUM);
      final HeapSampler heap = new HeapSampler(admin);
      heap.start();
      final long[] latencies = new long[options.requests];
      final long start = System.nanoTime();
      final long refused =
          runLoad(
              client,
              chat,
              options.requests,
              options.concurrency,
              options.tracesPerRequest,
              options.rate,
              random,
              latencies);
      final long elapsed = System.nanoTime() - start;
      final long spansSent = (long) options.requests * options.tracesPerRequest * spanCount(chat);
      // Wait until every span arrived, or until nothing arrived for 3 s (the rest was dropped).
      final long drained =
          awaitQuiet(sink, spansBefore + (long) (exportedPerInput(options) * spansSent)) - start;
      final long atSink = sink.spans() - spansBefore;
      final long sinkCpu = sink.cpuNanos() - sinkCpuBefore;
      final double dropped = number(admin, ENQUEUE_FAILED) - failedBefore;
      final double sendMillis =
          (number(admin, SEND_SUM) - sendSumBefore)
              * 1000
              / Math.max(1, number(admin, SEND_COUNT) - sendCountBefore);
      final long cpuAfter = cpuNanos(service);
      final Optional<ThreadCpu> threadsAfter = ThreadCpu.of(service.pid());
      heap.stop();
      Arrays.sort(latencies);
      final double seconds = elapsed / 1e9;
      final double accepted =
          (spansSent - refused * options.tracesPerRequest * spanCount(chat)) / seconds;
      final double requestsPerSecond = sink.requests() / (drained / 1e9);
      final double p99 = latencies[(int) (latencies.length * 0.99)] / 1e6;
      System.out.printf(
          Locale.ROOT,
          "requests            %d (%d traces each, %d spans per request), concurrency %d%n",
          options.requests,
          options.tracesPerRequest,
          options.tracesPerRequest * spanCount(chat),
          options.concurrency);
      System.out.printf(
          Locale.ROOT,
          "processors          %s, sink %s, rate %s, on_full %s, compression %s, batching %s%n",
          options.processors.isEmpty() ? "(none)" : options.processors,
          options.sink,
          options.rate > 0 ? options.rate + " requests/s" : "unlimited",
          options.onFull,
          options.compression,
          batching);
      System.out.printf(
          Locale.ROOT,
          "input spans/s       %.0f offered, %.0f accepted (answered 200)%n",
          spansSent / seconds,
          accepted);
      System.out.printf(
          Locale.ROOT,
          "spans at sink       %d (%.1f s until the last arrived: %.0f spans/s, %.0f requests/s delivered)%n",
          atSink,
          drained / 1e9,
          atSink / (drained / 1e9),
          requestsPerSecond);
      System.out.printf(
          Locale.ROOT,
          "enqueue failed      %.0f spans in the measured phase (%.0f in the warm-up)%n",
          dropped,
          failedBefore);
      System.out.printf(
          Locale.ROOT,
          "export attempt      %.1f ms mean (map, encode, POST, answer)%n",
          sendMillis);
      if (sinkCpu > 0) {
        System.out.printf(
            Locale.ROOT, "sink process CPU    %.0f%% of one core%n", 100.0 * sinkCpu / drained);
      }
      System.out.printf(
          Locale.ROOT,
          "service CPU s / 1M input spans  %.2f%n",
          (cpuAfter - cpuBefore) / 1e9 / (spansSent / 1e6));
      if (threadsBefore.isPresent() && threadsAfter.isPresent()) {
        final ThreadCpu measured = threadsAfter.get().minus(threadsBefore.get());
        System.out.printf(
            Locale.ROOT,
            "service CPU split   %.1f%% JIT compilers, %.1f%% GC threads, %.1f%% the rest%n",
            100 * measured.jitShare(),
            100 * measured.gcShare(),
            100 * (1 - measured.jitShare() - measured.gcShare()));
      }
      System.out.printf(
          Locale.ROOT, "latency p50         %.2f ms%n", latencies[latencies.length / 2] / 1e6);
      System.out.printf(Locale.ROOT, "latency p99         %.2f ms%n", p99);
      System.out.printf(
          Locale.ROOT,
          "service peak heap   %.0f MiB (of -Xmx%s)%n",
          heap.peakBytes() / 1048576.0,
          options.heap);
      return new Result(
          batching,
          accepted,
          atSink / (drained / 1e9),
          requestsPerSecond,
          dropped,
          failedBefore,
          spansSent / ((cpuAfter - cpuBefore) / 1e9),
          atSink / ((cpuAfter - cpuBefore) / 1e9),
          p99);
    } finally {
      service.destroy();
      service.waitFor(30, TimeUnit.SECONDS);
      sink.close();
      clientFactory.close();
    }
  }

  /**
   * Waits until the sink holds {@code expected} spans or nothing arrived for 3 s; returns the last
   * arrival.
   */
  private static long awaitQuiet(SinkHandle sink, long expected) throws InterruptedException {
    long last = sink.spans();
    long lastArrival = System.nanoTime();
    while (last < expected && System.nanoTime() - lastArrival < TimeUnit.SECONDS.toNanos(3)) {
      Thread.sleep(20);
      final long now = sink.spans();
      if (now != last) {
        last = now;
        lastArrival = System.nanoTime();
      }
    }
    return lastArrival;
  }

  /** The sink sees each input span once, or not at all for dropped Kong spans. */
  /**
   * Warms up further, in rounds, until the JIT compilers take under {@link #JIT_SETTLED} of the
   * service's CPU in a round (or {@link #MAX_SETTLE} passed): on two cores the one C2 compiler
   * thread works through its queue for minutes while the service runs hot code in C1's slower,
   * profiling tiers, and both would be counted as the cost of the measured spans. Returns how many
   * requests it sent.
   */
  private static int settleJit(
      Process service,
      WebClient client,
      ExportTraceServiceRequest chat,
      Options options,
      SplittableRandom random)
      throws InterruptedException {
    final int round = Math.max(500, options.warmup / 4);
    int sent = 0;
    final long deadline = System.nanoTime() + MAX_SETTLE.toNanos();
    for (int i = 1; System.nanoTime() < deadline; i++) {
      final Optional<ThreadCpu> before = ThreadCpu.of(service.pid());
      if (before.isEmpty()) {
        System.out.println("warm-up: no per-thread CPU here (/proc), the JIT is not waited for");
        return sent;
      }
      runLoad(client, chat, round, options.concurrency, options.tracesPerRequest, 0, random, null);
      sent += round;
      final Optional<ThreadCpu> after = ThreadCpu.of(service.pid());
      if (after.isEmpty()) {
        return sent;
      }
      final double jit = after.get().minus(before.get()).jitShare();
      System.out.printf(
          Locale.ROOT,
          "warm-up round %d: %d requests, JIT compilers %.1f%% of the service's CPU%n",
          i,
          round,
          100 * jit);
      if (jit < JIT_SETTLED) {
        return sent;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up: the JIT did not settle under %.0f%% in %d s; measuring anyway%n",
        100 * JIT_SETTLED,
        MAX_SETTLE.toSeconds());
    return sent;
  }

  private static double exportedPerInput(Options options) {
    return options.processors.contains("kong") ? 1.0 / 9 : 1.0;
  }

  /** Returns how many requests were not answered 200. */
  private static long runLoad(
      WebClient client,
      ExportTraceServiceRequest chat,
      int requests,
      int concurrency,
      int tracesPerRequest,
      int rate,
      SplittableRandom random,
      long[] latencies)
      throws InterruptedException {
    final long begin = System.nanoTime();
    final Semaphore inFlight = new Semaphore(concurrency);
    final BodyTemplate template = BodyTemplate.of(chat, tracesPerRequest, random);
    final List<CompletableFuture<AggregatedHttpResponse>> pending = new ArrayList<>();
    final AtomicLong failures = new AtomicLong();
    for (int i = 0; i < requests; i++) {
      final byte[] body = template.next(random);
      if (rate > 0) {
        // paced: request i leaves no earlier than i / rate seconds after the start
        final long due = begin + (long) (i * 1e9 / rate);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      inFlight.acquire();
      final long sentAt = System.nanoTime();
      final int index = i;
      final CompletableFuture<AggregatedHttpResponse> f =
          client
              .execute(
                  RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                      .contentType(MediaType.PROTOBUF)
                      .build(),
                  HttpData.wrap(body))
              .aggregate()
              .whenComplete(
                  (response, error) -> {
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
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .join();
    if (failures.get() > 0) {
      System.out.printf(
          Locale.ROOT,
          "WARNING: %d of %d requests were not answered 200%n",
          failures.get(),
          requests);
    }
    return failures.get();
  }

  /**
   * One encoded request of {@code traces} chat traces, and where each trace's id sits in it, so
   * that every request gets fresh trace ids by a copy and a few byte writes: building and encoding
   * 90 spans per request would cost the driver about as much CPU as the service spends on them.
   */
  static final class BodyTemplate {
    private final byte[] bytes;
    private final int[][] offsets; // per trace, where its 16-byte id is written

    private BodyTemplate(byte[] bytes, int[][] offsets) {
      this.bytes = bytes;
      this.offsets = offsets;
    }

    static BodyTemplate of(ExportTraceServiceRequest chat, int traces, SplittableRandom random) {
      final ExportTraceServiceRequest request = batch(chat, traces, random);
      final byte[] bytes = request.toByteArray();
      final List<ByteString> ids = new ArrayList<>();
      for (ResourceSpans rs : request.getResourceSpansList()) {
        final ByteString id = rs.getScopeSpans(0).getSpans(0).getTraceId();
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
      final int spansPerTrace = spanCount(chat);
      final int[][] offsets = new int[ids.size()][];
      for (int t = 0; t < ids.size(); t++) {
        final byte[] id = ids.get(t).toByteArray();
        final List<Integer> found = new ArrayList<>();
        for (int i = 0; i + id.length <= bytes.length; i++) {
          if (Arrays.equals(bytes, i, i + id.length, id, 0, id.length)) {
            found.add(i);
          }
        }
        if (found.size() != spansPerTrace) {
          throw new IllegalStateException(
              "trace id found " + found.size() + " times (expected: " + spansPerTrace + ")");
        }
        offsets[t] = found.stream().mapToInt(Integer::intValue).toArray();
      }
      return new BodyTemplate(bytes, offsets);
    }

    byte[] next(SplittableRandom random) {
      final byte[] out = bytes.clone();
      final byte[] id = new byte[16];
      for (int[] at : offsets) {
        for (int i = 0; i < 16; i++) {
          id[i] = (byte) random.nextInt(256);
        }
        for (int offset : at) {
          System.arraycopy(id, 0, out, offset, 16);
        }
      }
      return out;
    }
  }

  /** {@code traces} copies of the chat trace, each under a fresh random trace id. */
  public static ExportTraceServiceRequest batch(
      ExportTraceServiceRequest chat, int traces, SplittableRandom random) {
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

  /**
   * The service's config: the exporter's defaults except what the options set ({@code --batching
   * on} and {@code --compression default} write no key for them).
   */
  private static String config(
      Options options, String batching, int httpPort, int adminPort, int sinkPort) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http: { endpoint: 127.0.0.1:" + httpPort + " }",
        "      grpc: { enabled: false }",
        processorsSection(options.processors),
        "exporters:",
        "  otlphttp:",
        "    endpoint: http://127.0.0.1:" + sinkPort,
        options.compression.equals("default") ? "" : "    compression: " + options.compression,
        "    sending_queue: { on_full: "
            + options.onFull
            + (options.numConsumers > 0 ? ", num_consumers: " + options.numConsumers : "")
            + (batching.equals("off") ? ", batch: { enabled: false }" : "")
            + " }",
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

  private static double number(WebClient admin, Pattern pattern) {
    try {
      final Matcher m = pattern.matcher(admin.get("/metrics").aggregate().join().contentUtf8());
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * The sink the service exports to: in this JVM ({@code --sink inprocess}, the default) or in its
   * own JVM ({@code --sink process}, read over {@code /count}; on a small machine the extra JVM
   * costs more than it isolates).
   */
  private static final class SinkHandle implements AutoCloseable {
    private final Sink local;
    private final Process process;
    private final int port;
    private final WebClient countClient;
    private long requestsMark;

    private SinkHandle(Sink local, Process process, int port) {
      this.local = local;
      this.process = process;
      this.port = port;
      this.countClient = WebClient.of("http://127.0.0.1:" + port);
    }

    static SinkHandle start(String mode) throws IOException {
      if (mode.equals("inprocess")) {
        final Sink sink = Sink.start(0);
        return new SinkHandle(sink, null, sink.port());
      }
      final Process p =
          new ProcessBuilder(
                  "java",
                  "-Xmx256m",
                  "-cp",
                  java.lang.management.ManagementFactory.getRuntimeMXBean().getClassPath(),
                  Sink.class.getName())
              .redirectErrorStream(true)
              .start();
      final String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
              .readLine();
      if (line == null || !line.startsWith("sink listening on ")) {
        p.destroy();
        throw new IllegalStateException("sink process did not start: " + line);
      }
      return new SinkHandle(null, p, Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
    }

    int port() {
      return port;
    }

    private long[] counts() {
      if (local != null) {
        return new long[] {local.spans(), local.requests()};
      }
      final String[] parts =
          countClient.get("/count").aggregate().join().contentUtf8().trim().split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    long spans() {
      return counts()[0];
    }

    void markRequests() {
      requestsMark = counts()[1];
    }

    /** Requests received since {@link #markRequests}. */
    long requests() {
      return counts()[1] - requestsMark;
    }

    long cpuNanos() {
      return process == null
          ? 0
          : process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() throws InterruptedException {
      if (local != null) {
        local.close();
      } else {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
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

  private static final double JIT_SETTLED = 0.05;
  private static final Duration MAX_SETTLE = Duration.ofMinutes(4);

  private record Options(
      String jar,
      int requests,
      int warmup,
      int concurrency,
      int tracesPerRequest,
      String processors,
      String heap,
      String sink,
      int rate,
      int numConsumers,
      String onFull,
      String compression,
      String batching,
      List<String> serviceJvmOptions,
      ReleaseCheck check) {
    static Options parse(String[] args) {
      String jar = "app/target/genai-normalizer.jar";
      int requests = 20_000;
      int warmup = 5_000;
      int concurrency = 32;
      int traces = 10;
      String processors = "";
      String heap = "512m";
      String sink = "inprocess";
      int rate = 0;
      int numConsumers = 0;
      String onFull = "drop";
      String compression = "none";
      String batching = "on";
      double maxRatio = 0;
      boolean noShed = false;
      final List<String> serviceJvm = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--check-no-shed")) {
          noShed = true; // a flag: takes no value
          continue;
        }
        final String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--jar" -> jar = value;
          case "--requests" -> requests = Integer.parseInt(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--concurrency" -> concurrency = Integer.parseInt(value);
          case "--traces-per-request" -> traces = Integer.parseInt(value);
          case "--processors" -> processors = value;
          case "--heap" -> heap = value;
          case "--sink" -> sink = value;
          case "--rate" -> rate = Integer.parseInt(value);
          case "--num-consumers" -> numConsumers = Integer.parseInt(value);
          case "--on-full" -> onFull = value;
          case "--compression" -> compression = value;
          case "--batching" -> batching = value;
          case "--check" -> maxRatio = Double.parseDouble(value);
          case "--service-jvm" -> serviceJvm.addAll(List.of(value.trim().split("\\s+")));
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + " (expected: --jar, --requests, --warmup, --concurrency, --traces-per-request, --processors, --heap, --sink, --rate, --num-consumers, --on-full,"
                      + " --compression, --batching, --check, --check-no-shed, --service-jvm)");
        }
        i++;
      }
      if (!sink.equals("process") && !sink.equals("inprocess")) {
        throw new IllegalArgumentException("--sink " + sink + " (expected: process or inprocess)");
      }
      if (!List.of("none", "gzip", "default").contains(compression)) {
        throw new IllegalArgumentException(
            "--compression " + compression + " (expected: none, gzip or default)");
      }
      if (!List.of("on", "off", "both").contains(batching)) {
        throw new IllegalArgumentException(
            "--batching " + batching + " (expected: on, off or both)");
      }
      return new Options(
          jar,
          requests,
          warmup,
          concurrency,
          traces,
          processors,
          heap,
          sink,
          rate,
          numConsumers,
          onFull,
          compression,
          batching,
          List.copyOf(serviceJvm),
          new ReleaseCheck(maxRatio, noShed));
    }
  }
}
