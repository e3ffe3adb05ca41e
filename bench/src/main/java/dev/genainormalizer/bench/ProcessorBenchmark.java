package dev.genainormalizer.bench;

import dev.genainormalizer.app.UsageMetricsAccess;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.genai.GenAiProcessorFactory;
import dev.genainormalizer.processor.kong.KongProcessorFactory;
import dev.genainormalizer.receiver.otlp.RequestLimitsAccess;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per input span of each processor, on Kong-shaped batches (the chat fixture under 10
 * fresh trace ids: 90 spans in, 10 Gen AI spans out of {@code kong}), of the usage metrics counted
 * after them, of the receiver's limit check, and of the whole per-request path from the protobuf
 * body to the usage metrics (no exporter). Run with {@code java -cp
 * bench/target/genai-normalizer-bench.jar org.openjdk.jmh.Main ProcessorBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessorBenchmark {
  private static final int BATCHES = 256;
  private static final int TRACES_PER_BATCH = 10;
  private static final int SPANS_PER_BATCH = TRACES_PER_BATCH * 9;

  private TraceBatch[] kongInput;
  private byte[][] kongBodies;
  private TraceBatch genaiInput;
  private TraceBatch usageInput;
  private TraceProcessor kong;
  private TraceProcessor genai;
  private Consumer<TraceBatch> usage;
  private Function<ExportTraceServiceRequest, Optional<String>> limits;
  private MockClock clock;
  private int next;

  @Setup
  public void setUp() throws IOException {
    final ExportTraceServiceRequest chat;
    try (InputStream in =
        ProcessorBenchmark.class.getResourceAsStream("/fixtures/kong-3.13-chat.json")) {
      chat = OtlpJson.parseTraces(in.readAllBytes());
    }
    final SplittableRandom random = new SplittableRandom(7);
    kongInput = new TraceBatch[BATCHES];
    kongBodies = new byte[BATCHES][];
    for (int i = 0; i < BATCHES; i++) {
      kongInput[i] = TraceBatch.of(LoadBench.batch(chat, TRACES_PER_BATCH, random));
      kongBodies[i] = kongInput[i].request().toByteArray();
    }
    clock = new MockClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final KongProcessorFactory kongFactory = new KongProcessorFactory();
    kong =
        kongFactory.create(
            kongFactory.defaultConfig(),
            new ProcessorSettings(ComponentId.of("kong"), "traces", registry, clock));
    final GenAiProcessorFactory genaiFactory = new GenAiProcessorFactory();
    genai =
        genaiFactory.create(
            genaiFactory.defaultConfig(),
            new ProcessorSettings(ComponentId.of("genai"), "traces", registry, clock));
    genaiInput = kong.process(kongInput[0]).output();
    if (genaiInput.spanCount() != TRACES_PER_BATCH) {
      throw new IllegalStateException(
          "kong emitted " + genaiInput.spanCount() + " spans, expected " + TRACES_PER_BATCH);
    }
    usageInput = genai.process(genaiInput).output();
    // As the service does: a composite registry in front of the Prometheus one.
    final CompositeMeterRegistry meters = new CompositeMeterRegistry(clock);
    meters.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    usage = UsageMetricsAccess.usageMetrics(meters, 1000);
    limits = RequestLimitsAccess.defaultLimits();
  }

  /** kong: per input span (90 per batch), including the periodic release of remembered traces. */
  @Benchmark
  @OperationsPerInvocation(SPANS_PER_BATCH)
  public TraceBatch kongPerInputSpan() {
    final TraceBatch out = kong.process(kongInput[next]).output();
    next = (next + 1) % BATCHES;
    if (next == 0) {
      // Every trace id comes round again: let the processor forget them, as the ticker would.
      clock.add(Duration.ofSeconds(10));
      kong.flush(false);
    }
    return out;
  }

  /** genai: per Gen AI span (10 per batch): messages, usage, ids and cost. */
  @Benchmark
  @OperationsPerInvocation(TRACES_PER_BATCH)
  public TraceBatch genaiPerGenAiSpan() {
    return genai.process(genaiInput).output();
  }

  /** Usage metrics: per Gen AI span leaving the processors (10 per batch). */
  @Benchmark
  @OperationsPerInvocation(TRACES_PER_BATCH)
  public TraceBatch usageMetricsPerGenAiSpan() {
    usage.accept(usageInput);
    return usageInput;
  }

  /** The receiver's limit check on a decoded request: per input span (90 per request). */
  @Benchmark
  @OperationsPerInvocation(SPANS_PER_BATCH)
  public Optional<String> limitsPerInputSpan() {
    final Optional<String> violation = limits.apply(kongInput[next].request());
    next = (next + 1) % BATCHES;
    return violation;
  }

  /**
   * A whole request, per input span (90 per request): protobuf decode, the receiver's limit check,
   * {@code kong}, {@code genai} and the usage metrics; no transport, queue or exporter.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS_PER_BATCH)
  public TraceBatch requestPerInputSpan() throws IOException {
    final ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(kongBodies[next]);
    if (limits.apply(request).isPresent()) {
      throw new IllegalStateException("the fixture breaks a receiver limit");
    }
    final TraceBatch out = genai.process(kong.process(TraceBatch.of(request)).output()).output();
    usage.accept(out);
    next = (next + 1) % BATCHES;
    if (next == 0) {
      clock.add(Duration.ofSeconds(10));
      kong.flush(false);
    }
    return out;
  }
}
