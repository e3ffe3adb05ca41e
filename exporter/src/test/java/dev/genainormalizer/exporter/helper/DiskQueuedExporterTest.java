package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sending_queue.storage: disk}: what was accepted survives a restart, and leaves once sent.
 */
class DiskQueuedExporterTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryBudget budget = new MemoryBudget(1L << 30);

  private QueuedRetryingExporter exporter(String id, TraceSender sender, QueueConfig.Fsync fsync) {
    return QueuedRetryingExporter.builder()
        .id(ComponentId.parse(id))
        .sender(sender)
        .meterRegistry(registry)
        .memoryBudget(budget)
        .retry(FAST_RETRY)
        .queue(QueueConfig.disk(2, dir.toString(), ByteSize.parse("8MiB"), fsync))
        .defaultBatch(BatchConfig.disabled()) // one record, one send: see QueuedBatchingTest
        .build();
  }

  private static Set<String> names(Iterable<TraceBatch> batches) {
    final Set<String> out = new HashSet<>();
    for (TraceBatch b : batches) {
      out.add(b.request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    }
    return out;
  }

  @Test
  void unsentBatchesStayOnDiskAtShutdownAndAreSentByTheNextRun() throws Exception {
    final ScriptedSender dead = ScriptedSender.dead();
    final QueuedRetryingExporter first = exporter("otlp/a", dead, QueueConfig.Fsync.BATCH);
    first.start();
    for (int i = 0; i < 50; i++) {
      assertThat(first.export(batch(i))).isTrue();
    }
    assertThat(first.shutdown(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS))
        .as("nothing is lost: it stays on disk")
        .isZero();
    assertThat(budget.usedBytes()).isZero();
    assertThat(Files.isDirectory(dir.resolve("otlp-a"))).isTrue();

    final ScriptedSender healthy = ScriptedSender.healthy();
    final QueuedRetryingExporter second = exporter("otlp/a", healthy, QueueConfig.Fsync.BATCH);
    second.start();
    Await.until(
        "50 batches delivered",
        () -> names(healthy.delivered()).size() == 50,
        () -> "(" + healthy.delivered().size() + ")");
    assertThat(second.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();

    final ScriptedSender third = ScriptedSender.healthy();
    final QueuedRetryingExporter last = exporter("otlp/a", third, QueueConfig.Fsync.BATCH);
    last.start();
    assertThat(last.queueSize()).as("acknowledged batches are not sent again").isZero();
    last.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    assertThat(third.attempts()).isEmpty();
  }

  @Test
  void atShutdownAFailingBackendIsNotFedTheWholeBacklog() throws Exception {
    final ScriptedSender failing =
        ScriptedSender.failing(new IllegalStateException("connection refused"));
    final QueuedRetryingExporter first = exporter("otlp/e", failing, QueueConfig.Fsync.NEVER);
    first.start();
    for (int i = 0; i < 50; i++) {
      first.export(batch(i));
    }
    Await.until("both consumers retrying", () -> failing.attempts().size() >= 4);
    assertThat(first.shutdown(Duration.ofMillis(300)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(names(failing.attempts())).as("batches tried").hasSizeLessThan(10);
    assertThat(recordsOnDisk("otlp-e")).as("every batch is still on disk").isEqualTo(50);
  }

  @Test
  void aPermanentFailureLeavesTheDiskAndIsCountedAsFailed() throws Exception {
    final ScriptedSender rejecting =
        ScriptedSender.failing(new PermanentExportException("400 Bad Request"));
    final QueuedRetryingExporter e = exporter("otlp/b", rejecting, QueueConfig.Fsync.ALWAYS);
    e.start();
    e.export(batch(1));
    Await.until(
        "the batch is given up", () -> e.queueSize() == 0 && rejecting.attempts().size() == 1);
    e.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    assertThat(recordsOnDisk("otlp-b")).isZero();
  }

  @Test
  void twoExportersCannotShareOneDirectory() throws Exception {
    final QueuedRetryingExporter a =
        exporter("otlp/c", ScriptedSender.healthy(), QueueConfig.Fsync.NEVER);
    final ScriptedSender second = ScriptedSender.healthy();
    final QueuedRetryingExporter b = exporter("otlp/c", second, QueueConfig.Fsync.NEVER);
    try {
      a.start();
      assertThatThrownBy(b::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another exporter");
    } finally {
      a.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
      b.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void anExporterThatIsNotStartedTouchesNoFileAndTakesNothing() throws Exception {
    // the map dry run builds exporters next to a running service that holds the directory's lock
    final QueuedRetryingExporter e =
        exporter("otlp/f", ScriptedSender.healthy(), QueueConfig.Fsync.NEVER);

    assertThat(e.export(batch(1))).isFalse();

    assertThat(
            registry
                .find(ExporterTelemetry.ENQUEUE_FAILED_SPANS)
                .tag("exporter", "otlp/f")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(dir.resolve("otlp-f")).doesNotExist();
  }

  /** Records an exporter left unacknowledged in its directory, as the next run would find them. */
  private long recordsOnDisk(String directoryName) {
    try (DiskQueue disk =
        DiskQueue.open(dir.resolve(directoryName), 8L << 20, QueueConfig.Fsync.NEVER, n -> {})) {
      return disk.recovered().size();
    }
  }

  @Test
  void aFullDiskQueueWithOnFullDropDropsAndCountsTheBatch() throws Exception {
    final QueuedRetryingExporter e =
        QueuedRetryingExporter.builder()
            .id(ComponentId.parse("otlp/d"))
            .sender(ScriptedSender.dead())
            .meterRegistry(registry)
            .retry(FAST_RETRY)
            .queue(
                QueueConfig.disk(1, dir.toString(), ByteSize.parse("1MiB"), QueueConfig.Fsync.NEVER)
                    .withOnFull(QueueConfig.OnFull.DROP))
            .defaultBatch(BatchConfig.disabled())
            .build();
    e.start();
    int accepted = 0;
    while (e.export(batch(accepted)) && accepted < 100_000) {
      accepted++;
    }
    assertThat(accepted).isBetween(1000, 99_999);
    assertThat(e.refusal(0)).isEmpty();
    assertThat(
            registry
                .find(ExporterTelemetry.ENQUEUE_FAILED_SPANS)
                .tag("exporter", "otlp/d")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aFullDiskQueueRefusesNewRequestsButWritesWhatWasLetIn() throws Exception {
    final QueuedRetryingExporter e =
        QueuedRetryingExporter.builder()
            .id(ComponentId.parse("otlp/d"))
            .sender(ScriptedSender.dead())
            .meterRegistry(registry)
            .retry(FAST_RETRY)
            .queue(
                QueueConfig.disk(
                    1, dir.toString(), ByteSize.parse("1MiB"), QueueConfig.Fsync.NEVER))
            .defaultBatch(BatchConfig.disabled())
            .build();
    e.start();
    assertThat(e.refusesWhenFull()).as("the default on disk").isTrue();
    final long size = batch(0).request().getSerializedSize();
    int admitted = 0;
    while (e.refusal(size).isEmpty() && admitted < 100_000) {
      assertThat(e.export(batch(admitted))).isTrue();
      admitted++;
    }
    assertThat(admitted).isBetween(1000, 99_999);
    assertThat(e.refusal(size))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("exporter otlp/d: the disk queue is full (")
                    .contains("of max_bytes 1048576 bytes used)"));
    // how full, in bytes on both sides, so the queue-filling alert's ratio means the same on disk
    final double used =
        registry.find(ExporterTelemetry.QUEUE_SIZE).tag("exporter", "otlp/d").gauge().value();
    assertThat(used).isGreaterThan(1048576 - 2.0 * size).isLessThanOrEqualTo(1048576);
    assertThat(
            registry
                .find(ExporterTelemetry.QUEUE_CAPACITY)
                .tag("exporter", "otlp/d")
                .gauge()
                .value())
        .isEqualTo(1048576);

    // let in before the queue filled (a concurrent request, or spans released later): still written
    assertThat(e.export(batch(admitted))).isTrue();
    assertThat(e.queueSize()).as("all but the one being sent").isEqualTo(admitted);
    assertThat(
            registry
                .find(ExporterTelemetry.ENQUEUE_FAILED_SPANS)
                .tag("exporter", "otlp/d")
                .counter()
                .count())
        .isZero();
    assertThat(e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS)).isZero();
  }
}
