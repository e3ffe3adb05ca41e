package dev.genainormalizer.app;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.HostPort;
import dev.genainormalizer.config.NormalizerConfig;
import dev.genainormalizer.config.PipelineConfig;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorFactory;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.ReceiverFactory;
import dev.genainormalizer.receiver.ReceiverSettings;
import dev.genainormalizer.receiver.TraceConsumer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: components built from a validated config and wired by hand. Exporters and
 * receivers are one instance per id (shared by the pipelines that name them), processors one per
 * pipeline, as in the Collector.
 */
public final class NormalizerService {
  /** How often processors that hold spans are asked to release those whose wait is over. */
  static final Duration TICK_INTERVAL = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(NormalizerService.class);

  private final NormalizerConfig config;
  private final PrometheusMeterRegistry meterRegistry;
  private final MemoryBudget memoryBudget;
  private final Map<ComponentId, TraceExporter> exporters;
  private final List<Pipeline> pipelines;
  private final Map<ComponentId, Receiver> receivers;
  private final AdminServer admin;
  private final ScheduledExecutorService ticker;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final CompletableFuture<StopReport> stopped = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Clock clock;
  private final Shutdown shutdown;
  private final OtlpMeterRegistry otlpMetrics; // null unless service.telemetry.metrics.otlp is set
  private final StatusPage statusPage;

  private NormalizerService(
      NormalizerConfig config,
      PrometheusMeterRegistry meterRegistry,
      MemoryBudget memoryBudget,
      Map<ComponentId, TraceExporter> exporters,
      List<Pipeline> pipelines,
      Map<ComponentId, Receiver> receivers,
      OtlpMeterRegistry otlpMetrics,
      StatusRecorder recorder,
      IntakeGate gate,
      Clock clock) {
    this.config = config;
    this.clock = clock;
    this.otlpMetrics = otlpMetrics;
    this.statusPage = new StatusPage(config, exporters, meterRegistry, recorder, clock, ready::get);
    this.meterRegistry = meterRegistry;
    this.memoryBudget = memoryBudget;
    this.exporters = exporters;
    this.pipelines = pipelines;
    this.receivers = receivers;
    this.admin =
        new AdminServer(
            HostPort.parseOrThrow(
                    "service.telemetry.admin.endpoint",
                    config.service().telemetry().admin().endpoint())
                .toSocketAddress(),
            ready::get,
            meterRegistry,
            statusPage);
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "pipeline-ticker");
              t.setDaemon(true);
              return t;
            });
    this.shutdown = new Shutdown(gate, receivers, ticker, pipelines, exporters, admin::stop);
  }

  /** Builds every component of {@code config}; opens no port yet. */
  public static NormalizerService create(
      NormalizerConfig config,
      ComponentRegistry registry,
      PrometheusMeterRegistry prometheus,
      Clock clock) {
    final MemoryBudget budget =
        new MemoryBudget(
            config.service().effectiveMemoryLimitBytes(Runtime.getRuntime().maxMemory()));
    // Components register on the composite: Prometheus always, OTLP push when configured.
    final CompositeMeterRegistry meterRegistry = new CompositeMeterRegistry(clock);
    meterRegistry.add(prometheus);
    final OtlpMeterRegistry otlpMetrics =
        config.service().telemetry().metrics().otlp().enabled()
            ? OtlpMetricsPush.registry(
                config.service().telemetry().metrics().otlp(), Cli.version(), clock)
            : null;
    if (otlpMetrics != null) {
      meterRegistry.add(otlpMetrics);
    }
    ServiceTelemetry.register(meterRegistry, budget);
    final StatusRecorder recorder = new StatusRecorder(clock, StatusPage.redactor(config));
    final UsageMetrics usage =
        config.service().telemetry().metrics().usageMetrics()
            ? new UsageMetrics(
                meterRegistry, config.service().telemetry().metrics().maxSeriesPerMetric())
            : null;

    final Map<ComponentId, TraceExporter> exporters = new LinkedHashMap<>();
    final Map<ComponentId, List<Pipeline>> pipelinesByReceiver = new LinkedHashMap<>();
    final List<Pipeline> pipelines = new ArrayList<>();
    for (Map.Entry<String, PipelineConfig> entry : config.service().pipelines().entrySet()) {
      final String pipelineId = entry.getKey();
      final PipelineConfig pc = entry.getValue();
      final List<TraceProcessor> processors = new ArrayList<>();
      for (ComponentId id : pc.processors()) {
        final ProcessorFactory<Record> factory = factory(registry, ComponentKind.PROCESSOR, id);
        processors.add(
            factory.create(
                config.processors().get(id),
                new ProcessorSettings(id, pipelineId, meterRegistry, clock, budget)));
      }
      final List<TraceExporter> pipelineExporters = new ArrayList<>();
      for (ComponentId id : pc.exporters()) {
        pipelineExporters.add(
            exporters.computeIfAbsent(
                id,
                key -> {
                  final ExporterFactory<Record> factory =
                      factory(registry, ComponentKind.EXPORTER, key);
                  final TraceExporter exporter =
                      factory.create(
                          config.exporters().get(key),
                          new ExporterSettings(key, meterRegistry, clock, budget));
                  final String name = key.toString();
                  exporter.attemptListener(
                      (batch, error) -> recorder.attemptDone(name, batch, error));
                  return exporter;
                }));
      }
      final Pipeline pipeline =
          new Pipeline(
              pipelineId,
              processors,
              pipelineExporters,
              usage == null ? b -> {} : usage::record,
              heldSpanJournal(pipelineId, processors, pipelineExporters, meterRegistry),
              clock);
      pipelines.add(pipeline);
      for (ComponentId id : pc.receivers()) {
        pipelinesByReceiver.computeIfAbsent(id, k -> new ArrayList<>()).add(pipeline);
      }
    }
    final Map<ComponentId, Receiver> receivers = new LinkedHashMap<>();
    final IntakeGate gate = new IntakeGate();
    pipelinesByReceiver.forEach(
        (id, fed) -> {
          final ReceiverFactory<Record> factory = factory(registry, ComponentKind.RECEIVER, id);
          final PipelineConsumer pipelinesOf = new PipelineConsumer(fed, budget);
          final String name = id.toString();
          final TraceConsumer consumer =
              new TraceConsumer() {
                @Override
                public ConsumeResult consume(TraceBatch batch) {
                  return gate.pass(
                      () -> {
                        recorder.received(name, batch);
                        return pipelinesOf.consume(batch);
                      });
                }

                @Override
                public Optional<ConsumeResult> refusal() {
                  return gate.refusal().or(pipelinesOf::refusal);
                }
              };
          receivers.put(
              id,
              factory.create(
                  config.receivers().get(id),
                  new ReceiverSettings(id, consumer, meterRegistry, budget)));
        });
    return new NormalizerService(
        config,
        prometheus,
        budget,
        exporters,
        pipelines,
        receivers,
        otlpMetrics,
        recorder,
        gate,
        clock);
  }

  /**
   * The journal of a pipeline whose processors hold spans and one of whose exporters queues on
   * disk: next to that queue, so what it acknowledged survives a crash during the hold as well.
   * Null when there is nothing to journal.
   */
  private static HeldSpanJournal heldSpanJournal(
      String pipelineId,
      List<TraceProcessor> processors,
      List<TraceExporter> exporters,
      MeterRegistry meterRegistry) {
    if (Pipeline.maxHold(processors).isZero()) {
      return null;
    }
    for (TraceExporter exporter : exporters) {
      final Optional<QueueConfig> disk = exporter.diskQueue();
      if (disk.isPresent()) {
        final Counter corrupt = JournalTelemetry.corruptRecords(meterRegistry, pipelineId);
        final HeldSpanJournal journal =
            HeldSpanJournal.open(
                Path.of(disk.get().directory()).resolve("pipeline-" + pipelineId.replace('/', '-')),
                disk.get(),
                corrupt::increment);
        JournalTelemetry.register(meterRegistry, pipelineId, journal);
        return journal;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <F> F factory(ComponentRegistry registry, ComponentKind kind, ComponentId id) {
    final ComponentFactory<?> f =
        registry
            .find(kind, id.type())
            .orElseThrow(
                () -> new IllegalStateException("no " + kind.section() + " factory for " + id));
    return (F) f;
  }

  /** Starts exporters, then the admin port, then receivers; ready once every receiver is bound. */
  public void start() {
    exporters.values().forEach(TraceExporter::start);
    pipelines.forEach(Pipeline::replayJournal);
    admin.start();
    final long tickMillis = TICK_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    CompletableFuture.allOf(
            receivers.values().stream().map(Receiver::start).toArray(CompletableFuture[]::new))
        .join();
    ready.set(true);
    log.info(
        "genai-normalizer ready: {} pipeline(s), receivers {}, exporters {}, admin on {}",
        pipelines.size(),
        receiverAddresses(),
        exporters.keySet(),
        admin.address());
  }

  private void tick() {
    for (Pipeline pipeline : pipelines) {
      try {
        pipeline.tick();
      } catch (RuntimeException e) {
        log.warn("pipeline {}: releasing held spans failed", pipeline.id(), e);
      }
    }
  }

  /**
   * Stops within {@code service.shutdown_timeout} from now; see {@link #stop(ShutdownDeadline)}.
   * Idempotent.
   */
  public StopReport stop() {
    return stop(ShutdownDeadline.after(config.service().shutdownTimeout(), clock));
  }

  /**
   * Refuses new requests at once, releases held spans, lets exporters drain until {@code deadline},
   * closes the ports and logs what was left unsent. Idempotent: a second call waits for the first.
   */
  StopReport stop(ShutdownDeadline deadline) {
    if (!stopping.compareAndSet(false, true)) {
      return stopped.join();
    }
    ready.set(false);
    try {
      final StopReport report = shutdown.run(deadline);
      if (otlpMetrics != null) {
        // pushes the last values, within the grace: a hung endpoint must not hold the exit
        awaitPush(deadline, CompletableFuture.runAsync(otlpMetrics::close));
      }
      final String summary = report.summary(deadline.elapsed());
      if (report.everySpanSent()) {
        log.info(summary);
      } else {
        log.warn(summary);
      }
      stopped.complete(report);
      return report;
    } catch (RuntimeException e) {
      stopped.completeExceptionally(e);
      throw e;
    }
  }

  private static void awaitPush(ShutdownDeadline deadline, CompletableFuture<Void> push) {
    try {
      push.get(deadline.remainingGrace().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "the last push of the service's metrics had not ended {} after shutdown_timeout; not waiting for it",
          Shutdown.seconds(ShutdownDeadline.GRACE));
    } catch (ExecutionException e) {
      log.warn("the last push of the service's metrics failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isReady() {
    return ready.get();
  }

  /** Bound addresses by receiver id and protocol; valid after {@link #start()}. */
  public Map<ComponentId, Map<String, InetSocketAddress>> receiverAddresses() {
    final Map<ComponentId, Map<String, InetSocketAddress>> out = new LinkedHashMap<>();
    receivers.forEach((id, r) -> out.put(id, r.boundAddresses()));
    return out;
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  StatusPage statusPage() {
    return statusPage;
  }

  MemoryBudget memoryBudget() {
    return memoryBudget;
  }
}
