package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.NoBackendExporter;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.kong.KongProcessorFactory;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PipelineConsumerTest {
  private final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  @Test
  void refusesWithRetryAfterWhileOverTheMemoryBudgetAndAcceptsAgainBelowIt() {
    final MemoryBudget budget = new MemoryBudget(1000);
    final PipelineConsumer consumer =
        new PipelineConsumer(List.of(new Pipeline("traces", List.of(), List.of())), budget);

    budget.acquire(1001);
    final ConsumeResult refused = consumer.consume(chat);
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
    assertThat(refused.message()).contains("memory limit of 1000 bytes");

    assertThat(consumer.refusal()).as("told before the body is read").contains(refused);

    budget.release(1001);
    assertThat(consumer.refusal()).isEmpty();
    assertThat(consumer.consume(chat).accepted()).isTrue();
  }

  @Test
  void refusesBeforeTheBodyIsReadWhenARequestAsLargeAsTheLastWouldNotFit() {
    final long size = chat.request().getSerializedSize();
    final MemoryBudget budget = new MemoryBudget(10 * size);
    final PipelineConsumer consumer =
        new PipelineConsumer(List.of(new Pipeline("traces", List.of(), List.of())), budget);
    assertThat(consumer.consume(chat).accepted()).isTrue();

    budget.acquire(9 * size + 1); // under the limit, but without room for another such request

    assertThat(budget.isExceeded()).isFalse();
    assertThat(consumer.refusal()).hasValueSatisfying(r -> assertThat(r.accepted()).isFalse());
    assertThat(consumer.consume(chat).accepted()).as("what consume would say too").isFalse();
  }

  @Test
  void feedsEveryPipelineAndReportsRejectedSpansOnce() {
    final Pipeline rejecting =
        new Pipeline(
            "traces/a",
            List.of(b -> new ProcessResult(TraceBatch.EMPTY, 2, "2 spans with bad ids")),
            List.of());
    final Pipeline alsoRejecting =
        new Pipeline(
            "traces/b", List.of(b -> new ProcessResult(b, 2, "2 spans with bad ids")), List.of());
    final PipelineConsumer consumer =
        new PipelineConsumer(List.of(rejecting, alsoRejecting), MemoryBudget.unlimited());

    final ConsumeResult result = consumer.consume(chat);

    assertThat(result.accepted()).isTrue();
    assertThat(result.rejectedSpans()).isEqualTo(2);
    assertThat(result.message()).isEqualTo("2 spans with bad ids");
  }

  @Test
  void refusesBeforeProcessingWhileAnExporterThatRefusesWhenFullHasNoRoom() {
    final ScriptedExporter full = new ScriptedExporter(true);
    final ScriptedExporter other = new ScriptedExporter(false);
    final PipelineConsumer consumer =
        new PipelineConsumer(
            List.of(new Pipeline("traces", List.of(kong()), List.of(other, full))),
            MemoryBudget.unlimited());

    full.refusal = Optional.of("exporter otlp/full: the disk queue is full");
    final ConsumeResult refused = consumer.consume(chat);

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
    assertThat(refused.message())
        .isEqualTo("data refused: exporter otlp/full: the disk queue is full; retry later");
    assertThat(other.batches).as("refused before any exporter got it").isEmpty();
    assertThat(consumer.refusal()).contains(refused);

    full.refusal = Optional.empty();
    assertThat(consumer.consume(chat).accepted()).isTrue();
    assertThat(full.batches).as("the retry is not taken for a duplicate").hasSize(1);
    assertThat(full.batches.get(0).spanCount()).isEqualTo(1);
  }

  @Test
  void refusesWhenAnExporterThatRefusesWhenFullCouldNotQueueAndTheRetryIsNotADuplicate() {
    final ScriptedExporter failing = new ScriptedExporter(true);
    final ScriptedExporter other = new ScriptedExporter(false);
    final PipelineConsumer consumer =
        new PipelineConsumer(
            List.of(new Pipeline("traces", List.of(kong()), List.of(other, failing))),
            MemoryBudget.unlimited());

    failing.accepts = false;
    final ConsumeResult refused = consumer.consume(chat);

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.message())
        .isEqualTo(
            "data refused: an exporter could not queue it (see the service log); retry later");

    failing.accepts = true;
    assertThat(consumer.consume(chat).accepted()).isTrue();
    assertThat(failing.batches).hasSize(1);
    assertThat(failing.batches.get(0).spanCount()).isEqualTo(1);
    assertThat(other.batches).as("at-least-once: the other exporter has it twice").hasSize(2);
  }

  @Test
  void anExporterThatDropsWhenFullNeverMakesTheRequestFail() {
    final ScriptedExporter dropping = new ScriptedExporter(false);
    dropping.accepts = false;
    final PipelineConsumer consumer =
        new PipelineConsumer(
            List.of(new Pipeline("traces", List.of(), List.of(dropping))),
            MemoryBudget.unlimited());

    assertThat(consumer.consume(chat).accepted()).isTrue();
  }

  @Test
  void theRequestCountsInTheBudgetOnlyIfItFits() {
    final MemoryBudget budget = new MemoryBudget(chat.request().getSerializedSize() + 10L);
    final PipelineConsumer consumer =
        new PipelineConsumer(List.of(new Pipeline("traces", List.of(), List.of())), budget);

    budget.acquire(20);
    final ConsumeResult refused = consumer.consume(chat);

    assertThat(refused.accepted()).as("20 held + the request would pass the limit").isFalse();
    assertThat(budget.usedBytes()).isEqualTo(20);
  }

  private static TraceProcessor kong() {
    final KongProcessorFactory factory = new KongProcessorFactory();
    return factory.create(
        factory.defaultConfig(),
        new ProcessorSettings(
            ComponentId.parse("kong"), "traces", new SimpleMeterRegistry(), Clock.SYSTEM));
  }

  /** Answers {@link #refusal} and {@link #export} as scripted; records what it queued. */
  private static final class ScriptedExporter extends NoBackendExporter {
    final List<TraceBatch> batches = new CopyOnWriteArrayList<>();
    final boolean refusesWhenFull;
    volatile Optional<String> refusal = Optional.empty();
    volatile boolean accepts = true;

    ScriptedExporter(boolean refusesWhenFull) {
      this.refusesWhenFull = refusesWhenFull;
    }

    @Override
    public void start() {}

    @Override
    public boolean export(TraceBatch batch) {
      return accepts && batches.add(batch);
    }

    @Override
    public Optional<String> refusal(long bytes) {
      return refusal;
    }

    @Override
    public boolean refusesWhenFull() {
      return refusesWhenFull;
    }

    @Override
    public CompletableFuture<Long> shutdown(Duration timeout) {
      return CompletableFuture.completedFuture(0L);
    }

    @Override
    public String toString() {
      return "scripted";
    }
  }
}
