package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One pipeline, three backends: a dead one must cost the others nothing. */
class FanOutIsolationTest {
  private static final int BATCHES = 100;

  @Test
  void aDeadBackendDoesNotHoldBackTheOthers() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MemoryBudget budget = new MemoryBudget(1L << 30);
    final ScriptedSender dead = ScriptedSender.dead();
    final ScriptedSender flaky =
        ScriptedSender.healthy().thenFail(new RetryableExportException("HTTP 503"), 2);
    final ScriptedSender healthy = ScriptedSender.healthy();
    final QueuedRetryingExporter deadExporter =
        exporter("otlp/dead", dead, new QueueConfig(10, 2), registry, budget);
    final QueuedRetryingExporter flakyExporter =
        exporter("otlp/flaky", flaky, new QueueConfig(1000, 2), registry, budget);
    final QueuedRetryingExporter healthyExporter =
        exporter("otlp/healthy", healthy, new QueueConfig(1000, 2), registry, budget);
    final List<TraceExporter> fanOut = List.of(deadExporter, flakyExporter, healthyExporter);
    final List<TraceBatch> batches = new ArrayList<>();
    for (int i = 0; i < BATCHES; i++) {
      batches.add(batch(i));
    }

    // export() runs on another thread so that a blocking export fails the test instead of hanging
    // it
    final int[] accepted =
        CompletableFuture.supplyAsync(
                () -> {
                  final int[] n = new int[fanOut.size()];
                  for (TraceBatch b : batches) {
                    for (int i = 0; i < fanOut.size(); i++) {
                      n[i] += fanOut.get(i).export(b) ? 1 : 0;
                    }
                  }
                  return n;
                })
            .get(20, TimeUnit.SECONDS);

    // the dead one: 2 batches with its consumers, 10 in its queue, the rest dropped and counted
    assertThat(accepted).containsExactly(12, BATCHES, BATCHES);
    assertThat(
            registry
                .get(ExporterTelemetry.ENQUEUE_FAILED_SPANS)
                .tag("exporter", "otlp/dead")
                .counter()
                .count())
        .isEqualTo(BATCHES - 12);
    Await.until("healthy received everything", () -> healthy.delivered().size() == BATCHES);
    Await.until("flaky received everything", () -> flaky.delivered().size() == BATCHES);
    assertThat(new HashSet<>(healthy.delivered())).containsExactlyInAnyOrderElementsOf(batches);
    assertThat(new HashSet<>(flaky.delivered())).containsExactlyInAnyOrderElementsOf(batches);
    assertThat(flaky.attempts()).hasSize(BATCHES + 2);
    assertThat(dead.attempts()).hasSize(2);

    assertThat(healthyExporter.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(flakyExporter.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(deadExporter.shutdown(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS))
        .isEqualTo(12);
    assertThat(budget.usedBytes()).isZero();
  }

  private static QueuedRetryingExporter exporter(
      String id,
      TraceSender sender,
      QueueConfig queue,
      SimpleMeterRegistry registry,
      MemoryBudget budget) {
    final QueuedRetryingExporter e =
        QueuedRetryingExporter.builder()
            .id(ComponentId.parse(id))
            .sender(sender)
            .queue(queue)
            .retry(FAST_RETRY)
            .meterRegistry(registry)
            .memoryBudget(budget)
            .defaultBatch(BatchConfig.disabled()) // counts per queued batch
            .build();
    e.start();
    return e;
  }
}
