package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueuedRetryingExporterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryBudget budget = new MemoryBudget(1L << 30);
  private final List<QueuedRetryingExporter> exporters = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (QueuedRetryingExporter e : exporters) {
      e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    }
  }

  private QueuedRetryingExporterBuilder builder(TraceSender sender) {
    return QueuedRetryingExporter.builder()
        .id(ComponentId.parse("otlp/test"))
        .sender(sender)
        .meterRegistry(registry)
        .memoryBudget(budget)
        .retry(FAST_RETRY)
        .queue(new QueueConfig(100, 4))
        .defaultBatch(BatchConfig.disabled()); // one queued batch, one send: see QueuedBatchingTest
  }

  private QueuedRetryingExporter started(QueuedRetryingExporterBuilder b) {
    final QueuedRetryingExporter e = b.build();
    exporters.add(e);
    e.start();
    return e;
  }

  private double count(String name) {
    final Counter c =
        registry.find(name).tag(ExporterTelemetry.TAG_EXPORTER, "otlp/test").counter();
    return c == null ? 0 : c.count();
  }

  private void awaitCount(String name, double expected) {
    Await.until(
        name + " == " + expected, () -> count(name) >= expected, () -> "(is " + count(name) + ")");
    assertThat(count(name)).isEqualTo(expected);
  }

  @Test
  void builderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> QueuedRetryingExporter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("id: not set");
    assertThatThrownBy(() -> QueuedRetryingExporter.builder().id(ComponentId.of("otlp")).build())
        .hasMessageContaining("sender: not set");
    assertThatThrownBy(
            () ->
                builder(ScriptedSender.healthy())
                    .retry(
                        new RetryConfig(
                            true,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(1),
                            Duration.ZERO,
                            1.5,
                            0.5))
                    .queue(new QueueConfig(0, 1))
                    .build())
        // the wording after the key is RetryConfig's and QueueConfig's own
        .hasMessageContaining("retry_on_failure.max_interval: ")
        .hasMessageContaining("sending_queue.queue_size: 0");
    assertThatThrownBy(() -> QueuedRetryingExporter.builder().logInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logInterval: PT-1S (expected: >= 0)");
  }

  @Test
  void retriesUntilTheSendSucceeds() {
    final ScriptedSender sender =
        ScriptedSender.healthy()
            .thenFail(new RetryableExportException("503"), 2)
            .thenFail(new IllegalStateException("not one of ours: retryable too"), 1)
            .thenThrow(new IllegalArgumentException("thrown, not returned"));
    final QueuedRetryingExporter exporter = started(builder(sender));

    assertThat(exporter.export(batch(1))).isTrue();

    awaitCount(ExporterTelemetry.SENT_SPANS, 1);
    assertThat(sender.attempts()).hasSize(5);
    assertThat(count(ExporterTelemetry.RETRIES)).isEqualTo(4);
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
    assertThat(
            registry
                .get(ExporterTelemetry.SEND_DURATION)
                .tag(ExporterTelemetry.TAG_OUTCOME, "retryable")
                .timer()
                .count())
        .isEqualTo(4);
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void permanentErrorDropsWithoutRetry() {
    final ScriptedSender sender =
        ScriptedSender.failing(new PermanentExportException("HTTP 400: bad"));
    final QueuedRetryingExporter exporter = started(builder(sender));

    exporter.export(batch(1));

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, 1);
    assertThat(sender.attempts()).hasSize(1);
    assertThat(count(ExporterTelemetry.RETRIES)).isZero();
  }

  @Test
  void noRetryWhenRetryIsDisabled() {
    final ScriptedSender sender = ScriptedSender.failing(new RetryableExportException("503"));
    final QueuedRetryingExporter exporter =
        started(
            builder(sender)
                .retry(
                    new RetryConfig(
                        false,
                        Duration.ofMillis(10),
                        Duration.ofMillis(10),
                        Duration.ZERO,
                        1.5,
                        0)));

    exporter.export(batch(1));

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, 1);
    assertThat(sender.attempts()).hasSize(1);
  }

  @Test
  void givesUpWhenTheNextRetryWouldPassMaxElapsedTime() {
    final ScriptedSender sender = ScriptedSender.failing(new RetryableExportException("503"));
    // the server asks for 30 s but max_elapsed_time is 2 s: give up after the first attempt; 2 s
    // leaves room for several attempts however slowly the machine schedules them
    final ScriptedSender throttled =
        ScriptedSender.failing(new RetryableExportException("429", Duration.ofSeconds(30)));
    final RetryConfig retry =
        new RetryConfig(
            true, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), 1.5, 0);
    final QueuedRetryingExporter exporter = started(builder(sender).retry(retry));

    exporter.export(batch(1));

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, 1);
    assertThat(sender.attempts()).hasSizeGreaterThan(2);

    final SimpleMeterRegistry other = new SimpleMeterRegistry();
    final QueuedRetryingExporter second =
        started(builder(throttled).retry(retry).meterRegistry(other));
    second.export(batch(2));
    Await.until(
        "given up", () -> other.get(ExporterTelemetry.SEND_FAILED_SPANS).counter().count() == 1);
    assertThat(throttled.attempts()).hasSize(1);
  }

  @Test
  void shutdownBeforeStartDropsWhatWasQueued() throws Exception {
    final ScriptedSender sender = ScriptedSender.healthy();
    final QueuedRetryingExporter exporter = builder(sender).build();
    exporter.export(batch(1));
    exporter.export(batch(2));

    assertThat(exporter.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(sender.attempts()).isEmpty();
    assertThat(sender.closed()).isTrue();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void aBatchInBackoffAtTheDeadlineIsDropped() throws Exception {
    final ScriptedSender sender =
        ScriptedSender.failing(new RetryableExportException("429", Duration.ofSeconds(30)));
    final QueuedRetryingExporter exporter = started(builder(sender));
    exporter.export(batch(1));
    Await.until("first attempt", () -> count(ExporterTelemetry.RETRIES) == 1);

    assertThat(exporter.shutdown(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isEqualTo(1);
    assertThat(sender.attempts()).hasSize(1);
    assertThat(sender.closed()).isTrue();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void aFailureDuringShutdownIsNotRetriedPastTheDeadline() throws Exception {
    final java.util.concurrent.CompletableFuture<Void> answer =
        new java.util.concurrent.CompletableFuture<>();
    final TraceSender sender = batch -> answer;
    final QueuedRetryingExporter exporter = started(builder(sender));
    exporter.export(batch(1));
    final var done = exporter.shutdown(Duration.ofSeconds(20));

    answer.completeExceptionally(new RetryableExportException("503", Duration.ofSeconds(30)));

    assertThat(done.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void usesAnInjectedSchedulerAndLeavesItRunning() throws Exception {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      final ScriptedSender sender =
          ScriptedSender.healthy().thenFail(new RetryableExportException("503"), 1);
      final QueuedRetryingExporter exporter =
          started(builder(sender).scheduler(scheduler).random(() -> 0.5));

      exporter.export(batch(1));

      awaitCount(ExporterTelemetry.SENT_SPANS, 1);
      assertThat(exporter.shutdown(Duration.ofSeconds(1)).get(20, TimeUnit.SECONDS)).isZero();
      assertThat(scheduler.isShutdown()).isFalse();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void exportCountsEveryRejection() {
    final QueuedRetryingExporter exporter =
        started(builder(ScriptedSender.dead()).queue(new QueueConfig(1, 1)));

    assertThat(exporter.export(batch(1))).isTrue();
    assertThat(exporter.export(batch(2))).isTrue();
    assertThat(exporter.export(batch(3))).isFalse();
    assertThat(exporter.export(batch(4))).isFalse();

    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(2);
    assertThat(exporter.queueSize()).isEqualTo(1);
    assertThat(budget.usedBytes())
        .isEqualTo(batch(1).request().getSerializedSize() + batch(2).request().getSerializedSize());
  }

  @Test
  void aFullMemoryQueueWithOnFullRefuseRefusesNewRequestsButQueuesWhatWasLetIn() {
    final QueuedRetryingExporter exporter =
        started(
            builder(ScriptedSender.dead())
                .queue(new QueueConfig(1, 1).withOnFull(QueueConfig.OnFull.REFUSE)));
    assertThat(exporter.refusesWhenFull()).isTrue();

    assertThat(exporter.refusal(100)).isEmpty();
    assertThat(exporter.export(batch(1))).isTrue(); // taken by the only consumer
    Await.until("taken by the consumer", () -> exporter.queueSize() == 0);
    assertThat(exporter.refusal(100)).isEmpty();
    assertThat(exporter.export(batch(2))).isTrue(); // fills the queue

    assertThat(exporter.refusal(100))
        .hasValue("exporter otlp/test: the sending queue is full (1 of queue_size 1 batches)");
    assertThat(exporter.export(batch(3))).as("let in before the queue filled").isTrue();
    assertThat(exporter.queueSize()).isEqualTo(2);
    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isZero();
  }

  @Test
  void aMemoryQueueDropsByDefaultAndNeverRefuses() {
    final QueuedRetryingExporter exporter =
        started(builder(ScriptedSender.dead()).queue(new QueueConfig(1, 1)));

    exporter.export(batch(1));
    exporter.export(batch(2));
    exporter.export(batch(3));

    assertThat(exporter.refusesWhenFull()).isFalse();
    assertThat(exporter.refusal(100)).isEmpty();
  }

  @Test
  void aBatchQueuedByEveryExporterOfAFanOutCountsOnceInTheBudget() {
    final QueuedRetryingExporter dead = started(builder(ScriptedSender.dead()));
    final QueuedRetryingExporter alsoDead =
        started(builder(ScriptedSender.dead()).id(ComponentId.parse("otlp/other")));
    final TraceBatch shared = batch(1);

    dead.export(shared);
    alsoDead.export(shared);

    assertThat(budget.usedBytes()).isEqualTo(shared.request().getSerializedSize());
  }

  @Test
  void toStringShowsTheDescription() {
    final QueuedRetryingExporter exporter =
        builder(ScriptedSender.healthy()).description("OtlpHttpSender{x}").build();
    exporters.add(exporter);

    assertThat(exporter.toString())
        .contains("otlp/test")
        .contains("OtlpHttpSender{x}")
        .contains("queue_size=100");
  }
}
