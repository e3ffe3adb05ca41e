package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What an exporter reports when its shutdown deadline passes with a backlog: every unsent span is
 * either dropped (memory) or left for the next run (disk), batches being sent at the deadline
 * included, and its one log line says which, and how many of them may have reached the backend.
 */
class ShutdownAccountingTest {
  private static final int BATCHES = 10;
  private static final int CONSUMERS = 2;

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryBudget budget = new MemoryBudget(1L << 30);
  private final Logger logger = (Logger) LoggerFactory.getLogger(QueuedRetryingExporter.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void attach() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logs);
  }

  private QueuedRetryingExporter exporter(ScriptedSender sender, QueueConfig queue) {
    return exporter(
        sender,
        queue,
        BatchConfig.disabled()); // one queued batch, one send: each consumer holds one
  }

  private QueuedRetryingExporter exporter(
      ScriptedSender sender, QueueConfig queue, BatchConfig batch) {
    return QueuedRetryingExporter.builder()
        .id(ComponentId.parse("otlp/test"))
        .sender(sender)
        .meterRegistry(registry)
        .memoryBudget(budget)
        .retry(FAST_RETRY)
        .queue(queue)
        .defaultBatch(batch)
        .build();
  }

  /** Queues {@link #BATCHES} one-span batches behind a backend that never answers; shuts down. */
  private long backlogAtTheDeadline(QueuedRetryingExporter exporter, ScriptedSender hanging)
      throws Exception {
    exporter.start();
    for (int i = 0; i < BATCHES; i++) {
      assertThat(exporter.export(batch(i))).isTrue();
    }
    Await.until("every consumer sending", () -> hanging.attempts().size() == CONSUMERS);
    return exporter.shutdown(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS);
  }

  /**
   * Starts an exporter on the same disk queue with a healthy backend: it sends the {@link #BATCHES}
   * spans left.
   */
  private void nextRunSendsWhatWasLeft() throws Exception {
    final ScriptedSender healthy = ScriptedSender.healthy();
    final QueuedRetryingExporter next =
        exporter(
            healthy,
            QueueConfig.disk(
                CONSUMERS, dir.toString(), ByteSize.parse("8MiB"), QueueConfig.Fsync.NEVER));
    next.start(); // opens the disk queue and sends what the first run left
    Await.until(
        "the next run sent what was left",
        () -> healthy.delivered().stream().mapToInt(b -> b.spanCount()).sum() == BATCHES);
    next.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
  }

  private List<String> stoppedLines() {
    return logs.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("exporter otlp/test stopped"))
        .toList();
  }

  @Test
  void aDiskQueueCountsTheBatchesBeingSentAtTheDeadlineAsLeftForTheNextRun() throws Exception {
    final ScriptedSender hanging = ScriptedSender.dead();
    final QueuedRetryingExporter exporter =
        exporter(
            hanging,
            QueueConfig.disk(
                CONSUMERS, dir.toString(), ByteSize.parse("8MiB"), QueueConfig.Fsync.NEVER));

    assertThat(backlogAtTheDeadline(exporter, hanging)).as("dropped").isZero();

    assertThat(exporter.spansLeftForNextRun())
        .as("left for the next run, the two being sent included")
        .isEqualTo(BATCHES);
    assertThat(stoppedLines())
        .singleElement()
        .asString()
        .startsWith(
            "exporter otlp/test stopped: "
                + BATCHES
                + " spans left in the disk queue for the next run (")
        .contains("; " + CONSUMERS + " of them were being sent at the deadline");
    nextRunSendsWhatWasLeft();
  }

  @Test
  void aMemoryQueueCountsEveryUnsentBatchAsDroppedAndSaysWhichWereBeingSent() throws Exception {
    final ScriptedSender hanging = ScriptedSender.dead();
    final QueuedRetryingExporter exporter = exporter(hanging, new QueueConfig(100, CONSUMERS));

    assertThat(backlogAtTheDeadline(exporter, hanging)).as("dropped").isEqualTo(BATCHES);

    assertThat(exporter.spansLeftForNextRun()).isZero();
    assertThat(stoppedLines())
        .containsExactly(
            "exporter otlp/test stopped: "
                + BATCHES
                + " spans dropped (not sent); "
                + CONSUMERS
                + " of them were being sent at the deadline and may have"
                + " reached the backend");
    assertThat(budget.usedBytes()).isZero();
  }

  /** Batching that cuts a queued batch into one-span requests, each ready at once. */
  private static final BatchConfig ONE_SPAN_REQUESTS =
      new BatchConfig(true, Duration.ofSeconds(30), 1, 1, BatchConfig.Sizer.ITEMS);

  /**
   * Queues one batch of {@link #BATCHES} spans, cut into one-span requests behind a backend that
   * never answers: {@link #CONSUMERS} of them are being sent at the deadline, the rest wait for a
   * consumer in the exporter (no longer in its queue). Shuts down.
   */
  private long readyAtTheDeadline(QueuedRetryingExporter exporter, ScriptedSender hanging)
      throws Exception {
    exporter.start();
    assertThat(exporter.export(HelperTestSupport.batchOfSpans(BATCHES))).isTrue();
    Await.until("every consumer sending", () -> hanging.attempts().size() == CONSUMERS);
    assertThat(exporter.queueSize()).as("taken from the queue and cut").isZero();
    return exporter.shutdown(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS);
  }

  @Test
  void withBatchingAMemoryQueueCountsTheRequestsWaitingForAConsumerAsDropped() throws Exception {
    final ScriptedSender hanging = ScriptedSender.dead();
    final QueuedRetryingExporter exporter =
        exporter(hanging, new QueueConfig(100, CONSUMERS), ONE_SPAN_REQUESTS);

    assertThat(readyAtTheDeadline(exporter, hanging)).as("dropped").isEqualTo(BATCHES);

    assertThat(exporter.spansLeftForNextRun()).isZero();
    assertThat(stoppedLines())
        .containsExactly(
            "exporter otlp/test stopped: "
                + BATCHES
                + " spans dropped (not sent); "
                + CONSUMERS
                + " of them were being sent at the deadline and may have"
                + " reached the backend");
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void withBatchingADiskQueueLeavesTheWholeQueuedBatchForTheNextRun() throws Exception {
    final QueueConfig disk =
        QueueConfig.disk(
            CONSUMERS, dir.toString(), ByteSize.parse("8MiB"), QueueConfig.Fsync.NEVER);
    final ScriptedSender hanging = ScriptedSender.dead();
    final QueuedRetryingExporter exporter = exporter(hanging, disk, ONE_SPAN_REQUESTS);

    assertThat(readyAtTheDeadline(exporter, hanging)).as("dropped").isZero();

    assertThat(exporter.spansLeftForNextRun())
        .as("the queued batch, its requests being sent included")
        .isEqualTo(BATCHES);
    assertThat(stoppedLines())
        .singleElement()
        .asString()
        .startsWith(
            "exporter otlp/test stopped: "
                + BATCHES
                + " spans left in the disk queue for the next run (")
        .contains("; " + CONSUMERS + " of them were being sent at the deadline");
    nextRunSendsWhatWasLeft();
  }

  @Test
  void anExporterThatSentEverythingSaysSo() throws Exception {
    final ScriptedSender healthy = ScriptedSender.healthy();
    final QueuedRetryingExporter exporter = exporter(healthy, new QueueConfig(100, CONSUMERS));
    exporter.start();
    exporter.export(batch(1));

    assertThat(exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS)).isZero();

    assertThat(healthy.delivered()).hasSize(1);
    assertThat(stoppedLines())
        .containsExactly("exporter otlp/test stopped: every queued span was sent");
  }
}
