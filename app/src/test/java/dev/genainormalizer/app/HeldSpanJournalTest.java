package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.NoBackendExporter;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.kong.KongProcessorFactory;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's journal of requests whose spans the {@code kong} processor holds: kept from before
 * the 200 until the hold is over, processed again after a crash.
 */
class HeldSpanJournalTest {
  private static final QueueConfig QUEUE =
      QueueConfig.disk(1, "/unused", ByteSize.parse("8MiB"), QueueConfig.Fsync.NEVER);
  private final TraceBatch part1 = TraceBatch.of(TestTraces.fixture("kong/chat-part1-of-2.json"));
  // not from Kong: passes at once, never held
  private final TraceBatch notKong = TraceBatch.of(TestTraces.fixture("kong/otel-sdk-trace.json"));
  private final MockClock clock = new MockClock();
  private final List<HeldSpanJournal> open = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void close() {
    open.forEach(HeldSpanJournal::close);
  }

  private HeldSpanJournal journal() {
    final HeldSpanJournal journal = HeldSpanJournal.open(dir, QUEUE, n -> {});
    open.add(journal);
    return journal;
  }

  private Pipeline pipeline(HeldSpanJournal journal, Recording exporter) {
    final KongProcessorFactory factory = new KongProcessorFactory();
    final TraceProcessor kong =
        factory.create(
            factory.defaultConfig(), // trace_wait 2s
            new ProcessorSettings(
                ComponentId.parse("kong"), "traces", new SimpleMeterRegistry(), clock));
    return new Pipeline("traces", List.of(kong), List.of(exporter), b -> {}, journal, clock);
  }

  @Test
  void aRequestWithHeldSpansIsJournaledUntilTheHoldIsOverAndItsSpansAreQueued() {
    final HeldSpanJournal journal = journal();
    final Recording exporter = new Recording();
    final Pipeline pipeline = pipeline(journal, exporter);

    assertThat(pipeline.consume(notKong).queued()).isTrue();
    assertThat(journal.size()).as("nothing held: nothing journaled").isZero();

    assertThat(pipeline.consume(part1).queued()).isTrue();
    assertThat(journal.size()).isEqualTo(1);

    clock.add(Duration.ofMillis(1_900));
    pipeline.tick();
    assertThat(journal.size()).as("still held").isEqualTo(1);

    clock.add(Duration.ofMillis(100));
    pipeline.tick();
    assertThat(exporter.spans())
        .as("part 1's Gen AI span after the wait")
        .isEqualTo(notKong.spanCount() + 1);
    assertThat(journal.size()).isZero();
  }

  @Test
  void afterACrashTheNextStartProcessesTheJournaledRequestsAgain() {
    final Recording lost = new Recording();
    final HeldSpanJournal first = journal();
    pipeline(first, lost).consume(part1);
    first.close(); // the crash: neither tick nor drain ran

    final HeldSpanJournal second = journal();
    final Recording exporter = new Recording();
    final Pipeline restarted = pipeline(second, exporter);
    assertThat(second.fromEarlierRuns()).isEqualTo(1);

    assertThat(restarted.replayJournal()).isEqualTo(1);
    assertThat(second.fromEarlierRuns()).isZero();
    assertThat(second.size()).as("held again, journaled again").isEqualTo(1);
    restarted.drain();

    assertThat(lost.spans()).isZero();
    assertThat(exporter.spans()).isEqualTo(1);
    assertThat(journal().size()).as("drained: nothing left for the next start").isZero();
  }

  @Test
  void aRequestThatCannotBeQueuedIsNotJournaled() {
    final HeldSpanJournal journal = journal();
    final Recording exporter = new Recording();
    final Pipeline pipeline = pipeline(journal, exporter);
    final TraceBatch heldAndNot =
        TraceBatch.of(
            notKong.request().toBuilder()
                .addAllResourceSpans(part1.request().getResourceSpansList())
                .build());

    exporter.accepts = false;
    assertThat(pipeline.consume(heldAndNot).queued()).isFalse();
    assertThat(journal.size()).as("refused: the client sends it again").isZero();
  }

  @Test
  void heldSpansThatCannotBeQueuedWhenReleasedKeepTheJournalForTheNextStart() {
    final HeldSpanJournal journal = journal();
    final Recording exporter = new Recording();
    final Pipeline pipeline = pipeline(journal, exporter);
    assertThat(pipeline.consume(part1).queued()).isTrue();

    exporter.accepts = false; // the released span finds no room
    clock.add(Duration.ofSeconds(3));
    pipeline.tick();
    exporter.accepts = true;
    pipeline.consume(notKong);
    clock.add(Duration.ofSeconds(3));
    pipeline.tick();

    assertThat(exporter.spans()).isEqualTo(notKong.spanCount());
    assertThat(journal.size()).as("kept for the next start, which processes it again").isEqualTo(1);
  }

  /** Queues (records) batches, or refuses them as a full disk queue with on_full: refuse would. */
  private static final class Recording extends NoBackendExporter {
    final List<TraceBatch> batches = new CopyOnWriteArrayList<>();
    volatile boolean accepts = true;

    int spans() {
      return batches.stream().mapToInt(TraceBatch::spanCount).sum();
    }

    @Override
    public void start() {}

    @Override
    public boolean export(TraceBatch batch) {
      return accepts && batches.add(batch);
    }

    @Override
    public boolean refusesWhenFull() {
      return true;
    }

    @Override
    public CompletableFuture<Long> shutdown(Duration timeout) {
      return CompletableFuture.completedFuture(0L);
    }
  }
}
