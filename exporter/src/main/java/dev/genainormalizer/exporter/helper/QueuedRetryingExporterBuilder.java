package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Builds a {@link QueuedRetryingExporter}. Required: {@link #id}, {@link #sender}, {@link
 * #meterRegistry}; the rest have defaults ({@link #settings} sets id, registry, clock and budget at
 * once). Setters check their argument at once; {@link #build} checks the retry and queue blocks.
 */
public final class QueuedRetryingExporterBuilder {
  /** How often a repeating failure is logged at most. */
  public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);

  ComponentId id;
  TraceSender sender;
  QueueConfig queue = QueueConfig.defaults();
  RetryConfig retry = RetryConfig.defaults();
  MeterRegistry meterRegistry;
  Clock clock = Clock.SYSTEM;
  MemoryBudget memoryBudget = MemoryBudget.unlimited();
  String description = "";
  Duration logInterval = DEFAULT_LOG_INTERVAL;
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  BatchConfig defaultBatch = BatchConfig.defaults();
  long maxRequestBytes = -1; // the sender's
  QueuedRetryingExporter.DeliveryListener deliveryListener = (batch, error) -> {};
  private ScheduledExecutorService scheduler;

  QueuedRetryingExporterBuilder() {}

  public QueuedRetryingExporterBuilder id(ComponentId id) {
    this.id = Objects.requireNonNull(id, "id");
    return this;
  }

  /** Sets id, meter registry, clock and memory budget from what the app passes to a factory. */
  public QueuedRetryingExporterBuilder settings(ExporterSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return id(settings.id())
        .meterRegistry(settings.meterRegistry())
        .clock(settings.clock())
        .memoryBudget(settings.memoryBudget());
  }

  public QueuedRetryingExporterBuilder sender(TraceSender sender) {
    this.sender = Objects.requireNonNull(sender, "sender");
    return this;
  }

  /** {@code sending_queue}; default {@link QueueConfig#defaults()}. */
  public QueuedRetryingExporterBuilder queue(QueueConfig queue) {
    this.queue = Objects.requireNonNull(queue, "queue");
    return this;
  }

  /** {@code retry_on_failure}; default {@link RetryConfig#defaults()}. */
  public QueuedRetryingExporterBuilder retry(RetryConfig retry) {
    this.retry = Objects.requireNonNull(retry, "retry");
    return this;
  }

  public QueuedRetryingExporterBuilder meterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    return this;
  }

  /** Time source for backoff, deadlines and log throttling; default {@link Clock#SYSTEM}. */
  public QueuedRetryingExporterBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Where queued bytes are counted; default unlimited. */
  public QueuedRetryingExporterBuilder memoryBudget(MemoryBudget memoryBudget) {
    this.memoryBudget = Objects.requireNonNull(memoryBudget, "memoryBudget");
    return this;
  }

  /**
   * What the exporter sends to, for its start log line and {@code toString()}; must hold no secret.
   */
  public QueuedRetryingExporterBuilder description(String description) {
    this.description = Objects.requireNonNull(description, "description");
    return this;
  }

  /**
   * The most the backend takes in one request, in serialized OTLP bytes: batches are cut there
   * whatever {@code sending_queue.batch.max_size} says; 0 for no limit. Default: the sender's
   * {@link TraceSender#maxRequestBytes()}.
   */
  public QueuedRetryingExporterBuilder maxRequestBytes(long maxRequestBytes) {
    if (maxRequestBytes < 0) {
      throw new IllegalArgumentException(
          "maxRequestBytes: " + maxRequestBytes + " (expected: >= 0)");
    }
    this.maxRequestBytes = maxRequestBytes;
    return this;
  }

  /** Told once per exported batch when it is sent or given up for good; default none. */
  public QueuedRetryingExporterBuilder deliveryListener(
      QueuedRetryingExporter.DeliveryListener listener) {
    this.deliveryListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * The batching used when {@code sending_queue.batch} is not set; default {@link
   * BatchConfig#defaults()} (on).
   */
  public QueuedRetryingExporterBuilder defaultBatch(BatchConfig batch) {
    this.defaultBatch = Objects.requireNonNull(batch, "batch");
    return this;
  }

  /** How often a repeating failure is logged at most; default 10s. */
  public QueuedRetryingExporterBuilder logInterval(Duration logInterval) {
    Objects.requireNonNull(logInterval, "logInterval");
    if (logInterval.isNegative()) {
      throw new IllegalArgumentException("logInterval: " + logInterval + " (expected: >= 0)");
    }
    this.logInterval = logInterval;
    return this;
  }

  /** Runs sends and retry timers instead of the exporter's own thread; the caller shuts it down. */
  QueuedRetryingExporterBuilder scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** Uniform [0, 1) source for the backoff jitter. */
  QueuedRetryingExporterBuilder random(DoubleSupplier random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  public QueuedRetryingExporter build() {
    if (id == null) {
      throw new IllegalStateException("id: not set (expected: the exporter's component id)");
    }
    if (sender == null) {
      throw new IllegalStateException("sender: not set");
    }
    if (meterRegistry == null) {
      throw new IllegalStateException("meterRegistry: not set");
    }
    final List<String> errors = new java.util.ArrayList<>();
    retry.validate().forEach(e -> errors.add("retry_on_failure." + e));
    queue.validate().forEach(e -> errors.add("sending_queue." + e));
    queue
        .effectiveBatch(defaultBatch)
        .validate()
        .forEach(e -> errors.add("sending_queue.batch." + e));
    if (!errors.isEmpty()) {
      throw new IllegalStateException(String.join("; ", errors));
    }
    if (scheduler != null) {
      return new QueuedRetryingExporter(this, scheduler, false);
    }
    final String threadName = "exporter-" + id;
    final ScheduledThreadPoolExecutor own =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              final Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    own.setRemoveOnCancelPolicy(true);
    return new QueuedRetryingExporter(this, own, true);
  }
}
