package dev.genainormalizer.bench;

import com.linecorp.armeria.client.WebClient;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpExporterConfig;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpExporterFactory;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.kong.KongProcessorConfig;
import dev.genainormalizer.processor.kong.KongProcessorFactory;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The export path alone: one {@code otlphttp} exporter (queue, batching, retry, sender) in this
 * JVM, fed pre-built batches as fast as its queue takes them, sending to a trivial sink in its own
 * process (or, with {@code --sink inprocess}, in this JVM). No receiver, no pipeline, so what it
 * reports is what one exporter delivers when it has the CPU. The batches are what the {@code kong}
 * processor makes of Kong's requests (about 10 spans each; {@code --input raw}: the 90 spans as
 * received). With {@code --batching both} (the default) it runs once with {@code
 * sending_queue.batch} off and once with it on (its defaults), each on a fresh exporter, and prints
 * the two side by side.
 *
 * <p>Usage: {@code java -cp bench/target/genai-normalizer-bench.jar
 * dev.genainormalizer.bench.ExporterBench [--batches N] [--warmup N] [--num-consumers N]
 * [--traces-per-request N] [--compression none|gzip] [--sink process|inprocess] [--input kong|raw]
 * [--batching both|on|off]}
 */
public final class ExporterBench {
  private ExporterBench() {}

  /** One measured run. */
  private record Run(
      String batching,
      int batches,
      double seconds,
      double spans,
      long requests,
      long cpuNanos,
      long sinkCpuNanos,
      double sendMillis) {
    double spansPerCpuSecond() {
      return spans / (cpuNanos / 1e9);
    }
  }

  public static void main(String[] args) throws Exception {
    int batches = 20_000;
    int warmup = 5_000;
    int consumers = 10;
    int traces = 10;
    String compression = "none";
    String sinkMode = "process";
    String input = "kong";
    String batching = "both";
    for (int i = 0; i + 1 < args.length; i += 2) {
      final String v = args[i + 1];
      switch (args[i]) {
        case "--batches" -> batches = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--num-consumers" -> consumers = Integer.parseInt(v);
        case "--traces-per-request" -> traces = Integer.parseInt(v);
        case "--compression" -> compression = v;
        case "--sink" -> sinkMode = v;
        case "--input" -> input = v;
        case "--batching" -> batching = v;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (expected: --batches, --warmup, --num-consumers, --traces-per-request, --compression, --sink,"
                    + " --input, --batching)");
      }
    }
    final List<String> modes =
        switch (batching) {
          case "both" -> List.of("off", "on");
          case "on", "off" -> List.of(batching);
          default ->
              throw new IllegalArgumentException(
                  "--batching " + batching + " (expected: both, on or off)");
        };
    final List<TraceBatch> pool = pool(input, traces);

    Process sinkProcess = null;
    Sink sink = null;
    final int port;
    if (sinkMode.equals("inprocess")) {
      sink = Sink.start(0);
      port = sink.port();
    } else {
      sinkProcess =
          new ProcessBuilder(
                  "java",
                  "-Xmx256m",
                  "-cp",
                  ManagementFactory.getRuntimeMXBean().getClassPath(),
                  Sink.class.getName())
              .redirectErrorStream(true)
              .start();
      final String line =
          new BufferedReader(
                  new InputStreamReader(sinkProcess.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      port = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
    }
    final WebClient sinkAdmin = WebClient.of("http://127.0.0.1:" + port);
    final List<Run> runs = new ArrayList<>();
    try {
      for (String mode : modes) {
        runs.add(
            measure(
                mode, port, compression, consumers, pool, warmup, batches, sinkAdmin, sinkProcess));
      }
    } finally {
      if (sink != null) {
        sink.close();
      }
      if (sinkProcess != null) {
        sinkProcess.destroy();
        sinkProcess.waitFor(10, TimeUnit.SECONDS);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "batches             %d per run (%s: %d spans each), num_consumers %d, compression %s, sink %s%n",
        batches,
        input,
        pool.get(0).spanCount(),
        consumers,
        compression,
        sinkMode);
    final SideBySide<Run> table =
        new SideBySide<>(runs, 28)
            .row("sending_queue.batch", "%14s", Run::batching)
            .row("spans per CPU-second", "%14.0f", Run::spansPerCpuSecond)
            .row("requests sent/s", "%14.1f", r -> r.requests() / r.seconds())
            .row("spans delivered/s", "%14.0f", r -> r.spans() / r.seconds())
            .row("spans per request", "%14.0f", r -> r.spans() / Math.max(1, r.requests()))
            .row(
                "exporter JVM CPU (% core)",
                "%14.0f", r -> 100.0 * r.cpuNanos() / (r.seconds() * 1e9));
    if (sinkProcess != null) {
      table.row(
          "sink process CPU (% core)",
          "%14.0f", r -> 100.0 * r.sinkCpuNanos() / (r.seconds() * 1e9));
    }
    table.row("send attempt (ms, mean)", "%14.2f", Run::sendMillis);
  }

  /**
   * Batches of {@code traces} chat traces, as received ({@code raw}) or after the {@code kong}
   * processor.
   */
  private static List<TraceBatch> pool(String input, int traces) throws java.io.IOException {
    final ExportTraceServiceRequest chat;
    try (InputStream in =
        ExporterBench.class.getResourceAsStream("/fixtures/kong-3.13-chat.json")) {
      chat = OtlpJson.parseTraces(in.readAllBytes());
    }
    if (!input.equals("kong") && !input.equals("raw")) {
      throw new IllegalArgumentException("--input " + input + " (expected: kong or raw)");
    }
    // trace_wait 0: whole traces arrive in one batch, so nothing needs holding
    final TraceProcessor kong =
        new KongProcessorFactory()
            .create(
                new KongProcessorConfig(null, Duration.ZERO, 10_000, 64L << 20),
                new ProcessorSettings(
                    ComponentId.of("kong"), "traces", new SimpleMeterRegistry(), Clock.SYSTEM));
    final SplittableRandom random = new SplittableRandom(7);
    final List<TraceBatch> pool = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      final ExportTraceServiceRequest r = LoadBench.batch(chat, traces, random);
      final TraceBatch raw = new TraceBatch(r, TraceBatch.countSpans(r));
      pool.add(input.equals("raw") ? raw : kong.process(raw).output());
    }
    return pool;
  }

  private static Run measure(
      String batching,
      int port,
      String compression,
      int consumers,
      List<TraceBatch> pool,
      int warmup,
      int batches,
      WebClient sinkAdmin,
      Process sinkProcess)
      throws Exception {
    final OtlpHttpExporterFactory factory = new OtlpHttpExporterFactory();
    final OtlpHttpExporterConfig config =
        new ConfigLoader(ComponentRegistry.of(List.of(factory)))
            .loadComponent(
                factory,
                String.join(
                    "\n",
                    "endpoint: http://127.0.0.1:" + port,
                    "compression: " + compression,
                    "sending_queue: { queue_size: 1000, num_consumers: "
                        + consumers
                        + ", on_full: refuse,"
                        + " batch: { enabled: "
                        + batching.equals("on")
                        + " } }",
                    ""),
                Map.of());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TraceExporter exporter =
        factory.create(
            config,
            new ExporterSettings(
                ComponentId.parse("otlphttp"), registry, Clock.SYSTEM, MemoryBudget.unlimited()));
    exporter.start();
    try {
      run(exporter, pool, warmup, registry);
      final long cpuBefore = cpuNanos();
      final long sinkCpuBefore = sinkProcess == null ? 0 : cpuNanos(sinkProcess);
      final long requestsBefore = sinkRequests(sinkAdmin);
      final double sentBefore = sent(registry);
      final Timer sends =
          registry
              .find("genai_normalizer.exporter.send.duration")
              .tag("outcome", "success")
              .timer();
      final long sendsBefore = sends == null ? 0 : sends.count();
      final double sendSecondsBefore = sends == null ? 0 : sends.totalTime(TimeUnit.SECONDS);
      final long start = System.nanoTime();
      run(exporter, pool, batches, registry);
      final long elapsed = System.nanoTime() - start;
      final double spans = sent(registry) - sentBefore;
      final long cpu = cpuNanos() - cpuBefore;
      final long sinkCpu = sinkProcess == null ? 0 : cpuNanos(sinkProcess) - sinkCpuBefore;
      final long requests = sinkRequests(sinkAdmin) - requestsBefore;
      final double sendMillis =
          sends == null || sends.count() == sendsBefore
              ? 0
              : (sends.totalTime(TimeUnit.SECONDS) - sendSecondsBefore)
                  * 1000
                  / (sends.count() - sendsBefore);
      return new Run(batching, batches, elapsed / 1e9, spans, requests, cpu, sinkCpu, sendMillis);
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).join();
    }
  }

  private static long sinkRequests(WebClient sinkAdmin) {
    return Long.parseLong(
        sinkAdmin.get("/count").aggregate().join().contentUtf8().trim().split(" ")[1]);
  }

  // Offers batches as fast as the queue has room, then waits until all of them were sent.
  private static void run(
      TraceExporter exporter, List<TraceBatch> pool, int batches, SimpleMeterRegistry registry) {
    double target = sent(registry);
    for (int i = 0; i < batches; i++) {
      final TraceBatch batch = pool.get(i % pool.size());
      target += batch.spanCount();
      while (exporter.refusal(0).isPresent()) {
        LockSupport.parkNanos(100_000);
      }
      if (!exporter.export(batch)) {
        throw new IllegalStateException("export refused");
      }
    }
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (sent(registry) < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static double sent(SimpleMeterRegistry registry) {
    final var c = registry.find("otelcol.exporter.sent.spans").counter();
    return c == null ? 0 : c.count();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long cpuNanos(Process p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }
}
