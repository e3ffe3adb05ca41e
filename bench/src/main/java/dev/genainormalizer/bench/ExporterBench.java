package dev.genainormalizer.bench;

import com.linecorp.armeria.client.WebClient;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpExporterConfig;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpExporterFactory;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
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
 * The export path alone: one {@code otlphttp} exporter (queue, retry, sender) in this JVM, fed
 * pre-built 90-span batches as fast as its queue takes them, sending to a trivial sink in its own
 * process (or, with {@code --sink inprocess}, in this JVM). No receiver, no pipeline, so what it
 * reports is what one exporter delivers when it has the CPU.
 *
 * <p>Usage: {@code java -cp bench/target/genai-normalizer-bench.jar
 * dev.genainormalizer.bench.ExporterBench [--batches N] [--warmup N] [--num-consumers N]
 * [--traces-per-request N] [--compression none|gzip] [--sink process|inprocess]}
 */
public final class ExporterBench {
  private ExporterBench() {}

  public static void main(String[] args) throws Exception {
    int batches = 20_000;
    int warmup = 5_000;
    int consumers = 10;
    int traces = 10;
    String compression = "none";
    String sinkMode = "process";
    for (int i = 0; i + 1 < args.length; i += 2) {
      final String v = args[i + 1];
      switch (args[i]) {
        case "--batches" -> batches = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--num-consumers" -> consumers = Integer.parseInt(v);
        case "--traces-per-request" -> traces = Integer.parseInt(v);
        case "--compression" -> compression = v;
        case "--sink" -> sinkMode = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (expected: --batches, --warmup, --num-consumers, --traces-per-request, --compression, --sink)");
      }
    }
    final ExportTraceServiceRequest chat;
    try (InputStream in = ExporterBench.class.getResourceAsStream("/fixtures/kong-3.13-chat.json")) {
      chat = OtlpJson.parseTraces(in.readAllBytes());
    }
    final SplittableRandom random = new SplittableRandom(7);
    final List<TraceBatch> pool = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      final ExportTraceServiceRequest r = LoadBench.batch(chat, traces, random);
      pool.add(new TraceBatch(r, TraceBatch.countSpans(r)));
    }

    Process sinkProcess = null;
    Sink sink = null;
    final int port;
    if (sinkMode.equals("inprocess")) {
      sink = Sink.start(0);
      port = sink.port();
    } else {
      sinkProcess = new ProcessBuilder("java", "-Xmx256m", "-cp",
          ManagementFactory.getRuntimeMXBean().getClassPath(), Sink.class.getName())
          .redirectErrorStream(true).start();
      final String line = new BufferedReader(
          new InputStreamReader(sinkProcess.getInputStream(), StandardCharsets.UTF_8)).readLine();
      port = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
    }
    final WebClient sinkAdmin = WebClient.of("http://127.0.0.1:" + port);

    final OtlpHttpExporterFactory factory = new OtlpHttpExporterFactory();
    final OtlpHttpExporterConfig config = new ConfigLoader(ComponentRegistry.of(List.of(factory)))
        .loadComponent(factory, String.join("\n",
            "endpoint: http://127.0.0.1:" + port,
            "compression: " + compression,
            "sending_queue: { queue_size: 1000, num_consumers: " + consumers + ", on_full: refuse }",
            ""), Map.of());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TraceExporter exporter = factory.create(config, new ExporterSettings(
        ComponentId.parse("otlphttp"), registry, Clock.SYSTEM, MemoryBudget.unlimited()));
    exporter.start();
    try {
      run(exporter, pool, warmup, registry);
      final long cpuBefore = cpuNanos();
      final long sinkCpuBefore = sinkProcess == null ? 0 : cpuNanos(sinkProcess);
      final double sentBefore = sent(registry);
      final Timer sends = registry.find("genai_normalizer.exporter.send.duration").tag("outcome", "success").timer();
      final long sendsBefore = sends == null ? 0 : sends.count();
      final double sendSecondsBefore = sends == null ? 0 : sends.totalTime(TimeUnit.SECONDS);
      final long start = System.nanoTime();
      run(exporter, pool, batches, registry);
      final long elapsed = System.nanoTime() - start;
      final double spans = sent(registry) - sentBefore;
      final long cpu = cpuNanos() - cpuBefore;
      final long sinkCpu = sinkProcess == null ? 0 : cpuNanos(sinkProcess) - sinkCpuBefore;
      System.out.printf(Locale.ROOT, "batches             %d (%d spans each), num_consumers %d, compression %s, sink %s%n",
          batches, pool.get(0).spanCount(), consumers, compression, sinkMode);
      System.out.printf(Locale.ROOT, "delivered           %.0f spans/s, %.0f requests/s%n",
          spans / (elapsed / 1e9), batches / (elapsed / 1e9));
      System.out.printf(Locale.ROOT, "exporter JVM CPU    %.1f s per 1M spans (%.0f%% of one core)%n",
          cpu / 1e9 / (spans / 1e6), 100.0 * cpu / elapsed);
      if (sinkProcess != null) {
        System.out.printf(Locale.ROOT, "sink process CPU    %.1f s per 1M spans (%.0f%% of one core)%n",
            sinkCpu / 1e9 / (spans / 1e6), 100.0 * sinkCpu / elapsed);
      }
      if (sends != null && sends.count() > sendsBefore) {
        System.out.printf(Locale.ROOT, "send attempt        %.2f ms mean%n",
            (sends.totalTime(TimeUnit.SECONDS) - sendSecondsBefore) * 1000 / (sends.count() - sendsBefore));
      }
      System.out.printf(Locale.ROOT, "sink counted        %s (spans requests)%n",
          sinkAdmin.get("/count").aggregate().join().contentUtf8());
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).join();
      if (sink != null) {
        sink.close();
      }
      if (sinkProcess != null) {
        sinkProcess.destroy();
        sinkProcess.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  // Offers batches as fast as the queue has room, then waits until all of them were sent.
  private static void run(TraceExporter exporter, List<TraceBatch> pool, int batches, SimpleMeterRegistry registry) {
    final double target = sent(registry) + (double) batches * pool.get(0).spanCount();
    for (int i = 0; i < batches; i++) {
      final TraceBatch batch = pool.get(i % pool.size());
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
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long cpuNanos(Process p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }
}
