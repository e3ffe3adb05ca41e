package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.helper.disk.DiskQueue;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sending_queue.batch} in the exporter: merging, timing, splitting, and finishing entries.
 */
class QueuedBatchingTest {
  private static final String ID = "otlp/batching";
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryBudget budget = new MemoryBudget(1L << 30);
  private final List<QueuedRetryingExporter> exporters = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (QueuedRetryingExporter e : exporters) {
      e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    }
  }

  private static BatchConfig batching(Duration flushTimeout, long minSize, long maxSize) {
    return new BatchConfig(true, flushTimeout, minSize, maxSize, BatchConfig.Sizer.ITEMS);
  }

  private QueuedRetryingExporterBuilder builder(TraceSender sender, QueueConfig queue) {
    return QueuedRetryingExporter.builder()
        .id(ComponentId.parse(ID))
        .sender(sender)
        .meterRegistry(registry)
        .memoryBudget(budget)
        .retry(FAST_RETRY)
        .queue(queue);
  }

  private QueuedRetryingExporter started(QueuedRetryingExporterBuilder b) {
    final QueuedRetryingExporter e = b.build();
    exporters.add(e);
    e.start();
    return e;
  }

  private double count(String name) {
    final Counter c = registry.find(name).tag(ExporterTelemetry.TAG_EXPORTER, ID).counter();
    return c == null ? 0 : c.count();
  }

  private double flushes(String reason) {
    final Counter c =
        registry
            .find(ExporterTelemetry.BATCH_FLUSHES)
            .tag(ExporterTelemetry.TAG_REASON, reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  private static List<String> names(List<TraceBatch> batches) {
    final List<String> out = new ArrayList<>();
    for (TraceBatch b : batches) {
      b.request()
          .getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(ss -> ss.getSpansList().forEach(s -> out.add(s.getName()))));
    }
    return out;
  }

  @Test
  void requestsQueuedTogetherGoOutAsOneOnceMinSizeIsReached() {
    final ScriptedSender sender = ScriptedSender.healthy();
    // a flush timeout no test waits for: only min_size can send these
    final QueuedRetryingExporter exporter =
        started(
            builder(
                sender, new QueueConfig(100, 2).withBatch(batching(Duration.ofMinutes(5), 10, 0))));

    for (int i = 0; i < 10; i++) {
      assertThat(exporter.export(batch(i))).isTrue();
    }

    Await.until("one send", () -> sender.delivered().size() == 1);
    assertThat(sender.attempts())
        .singleElement()
        .satisfies(b -> assertThat(b.spanCount()).isEqualTo(10));
    assertThat(names(sender.attempts()))
        .containsExactly(
            "span-0", "span-1", "span-2", "span-3", "span-4", "span-5", "span-6", "span-7",
            "span-8", "span-9");
    Await.until("counted", () -> count(ExporterTelemetry.SENT_SPANS) == 10);
    assertThat(flushes("size")).isEqualTo(1);
    final DistributionSummary size = registry.get(ExporterTelemetry.BATCH_SEND_SIZE).summary();
    assertThat(size.count()).isEqualTo(1);
    assertThat(size.totalAmount()).isEqualTo(10);
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void belowMinSizeWhatArrivedIsSentWhenTheFlushTimeoutPasses() {
    final ScriptedSender sender = ScriptedSender.healthy();
    final QueuedRetryingExporter exporter =
        started(
            builder(
                sender,
                new QueueConfig(100, 2).withBatch(batching(Duration.ofMillis(100), 1000, 0))));

    exporter.export(batch(1));
    exporter.export(batch(2));
    exporter.export(batch(3));

    Await.until("sent on the timer", () -> sender.delivered().size() == 1);
    assertThat(sender.delivered().get(0).spanCount()).isEqualTo(3);
    assertThat(flushes("timeout")).isEqualTo(1);
    assertThat(flushes("size")).isZero();
  }

  @Test
  void aBatchLargerThanMaxSizeIsSentInPartsAndItsEntryFinishesOnceWithTheFailure() {
    final ScriptedSender sender = ScriptedSender.healthy();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<TraceBatch> done = new CopyOnWriteArrayList<>();
    final TraceSender failSecond =
        new TraceSender() {
          private int sends;

          @Override
          public synchronized java.util.concurrent.CompletableFuture<Void> send(TraceBatch b) {
            return ++sends == 2
                ? java.util.concurrent.CompletableFuture.failedFuture(
                    new PermanentExportException("HTTP 400: rejected"))
                : sender.send(b);
          }
        };
    final QueuedRetryingExporter exporter =
        started(
            builder(
                    failSecond,
                    new QueueConfig(100, 1).withBatch(batching(Duration.ofMillis(50), 4, 4)))
                .deliveryListener(
                    (b, error) -> {
                      done.add(b);
                      errors.add(error);
                    }));
    final TraceBatch big = HelperTestSupport.batchOfSpans(10);

    exporter.export(big);

    Await.until("entry finished", () -> done.size() == 1);
    Await.until(
        "all parts ended",
        () ->
            count(ExporterTelemetry.SENT_SPANS) + count(ExporterTelemetry.SEND_FAILED_SPANS) == 10);
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).as("the second part").isEqualTo(4);
    assertThat(done).containsExactly(big);
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessage("HTTP 400: rejected"));
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void theSendersRequestLimitCutsBatches() {
    final ScriptedSender healthy = ScriptedSender.healthy();
    final long fourBatches = 4L * batch(0).request().getSerializedSize();
    final TraceSender limited =
        new TraceSender() {
          @Override
          public java.util.concurrent.CompletableFuture<Void> send(TraceBatch b) {
            return healthy.send(b);
          }

          @Override
          public long maxRequestBytes() {
            return fourBatches;
          }
        };
    final QueuedRetryingExporter exporter =
        started(
            builder(
                limited,
                new QueueConfig(100, 1).withBatch(batching(Duration.ofMillis(50), 1000, 0))));

    for (int i = 0; i < 10; i++) {
      exporter.export(batch(i));
    }

    Await.until("all sent", () -> count(ExporterTelemetry.SENT_SPANS) == 10);
    assertThat(healthy.delivered())
        .allSatisfy(
            b ->
                assertThat((long) b.request().getSerializedSize())
                    .isLessThanOrEqualTo(fourBatches));
    assertThat(healthy.delivered()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aBatchBeingFilledHoldsAConsumerSoADeadBackendStillBoundsWhatIsTaken() {
    final ScriptedSender dead = ScriptedSender.dead();
    final QueuedRetryingExporter exporter =
        started(
            builder(
                dead, new QueueConfig(1, 1).withBatch(batching(Duration.ofMillis(20), 1000, 0))));

    assertThat(exporter.export(batch(1))).isTrue(); // fills the batch the only consumer holds
    Await.until("sent to the dead backend", () -> dead.attempts().size() == 1);
    assertThat(exporter.export(batch(2))).isTrue(); // waits in the queue
    assertThat(exporter.export(batch(3))).isFalse();

    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(1);
    assertThat(exporter.queueSize()).isEqualTo(1);
  }

  @Test
  void shutdownSendsTheBatchBeingFilledAtOnce() throws Exception {
    final ScriptedSender sender = ScriptedSender.healthy();
    final QueuedRetryingExporter exporter =
        builder(sender, new QueueConfig(100, 2).withBatch(batching(Duration.ofMinutes(5), 1000, 0)))
            .build();
    exporter.start();
    exporter.export(batch(1));
    exporter.export(batch(2));

    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isZero();

    assertThat(sender.delivered())
        .singleElement()
        .satisfies(b -> assertThat(b.spanCount()).isEqualTo(2));
    assertThat(flushes("shutdown")).isEqualTo(1);
  }

  @Test
  void onDiskAMergedBatchLeavesTheDiskOnlyOnceSentAndStaysWhenUnsentAtShutdown() throws Exception {
    final QueueConfig disk =
        QueueConfig.disk(1, dir.toString(), ByteSize.parse("8MiB"), QueueConfig.Fsync.NEVER)
            .withBatch(batching(Duration.ofMillis(20), 1000, 0));
    final ScriptedSender dead = ScriptedSender.dead();
    final QueuedRetryingExporter first = builder(dead, disk).build();
    first.start();
    for (int i = 0; i < 5; i++) {
      assertThat(first.export(batch(i))).isTrue();
    }
    Await.until("one merged batch in flight", () -> dead.attempts().size() == 1);
    assertThat(dead.attempts().get(0).spanCount()).isEqualTo(5);

    assertThat(first.shutdown(Duration.ofMillis(50)).get(20, TimeUnit.SECONDS))
        .as("kept, not dropped")
        .isZero();
    assertThat(recordsOnDisk())
        .as("no record acknowledged: the merged batch was never sent")
        .isEqualTo(5);

    final ScriptedSender healthy = ScriptedSender.healthy();
    final QueuedRetryingExporter second = builder(healthy, disk).build();
    second.start();
    Await.until("sent by the next run", () -> count(ExporterTelemetry.SENT_SPANS) == 5);
    assertThat(names(healthy.delivered()))
        .containsExactly("span-0", "span-1", "span-2", "span-3", "span-4");
    assertThat(second.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(recordsOnDisk()).as("every record acknowledged once sent").isZero();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void theDeliveryListenerIsToldOncePerExportedBatch() {
    final Map<TraceBatch, Integer> told = new ConcurrentHashMap<>();
    final QueuedRetryingExporter exporter =
        started(
            builder(
                    ScriptedSender.healthy(),
                    new QueueConfig(100, 2).withBatch(batching(Duration.ofMillis(20), 1000, 0)))
                .deliveryListener(
                    (b, error) -> told.merge(b, error == null ? 1 : 100, Integer::sum)));

    for (int i = 0; i < 5; i++) {
      exporter.export(batch(i));
    }

    Await.until("all told", () -> told.size() == 5);
    assertThat(told.values()).containsOnly(1);
  }

  private long recordsOnDisk() {
    try (DiskQueue disk =
        DiskQueue.open(dir.resolve("otlp-batching"), 8L << 20, QueueConfig.Fsync.NEVER, n -> {})) {
      return disk.recovered().size();
    }
  }
}
