package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.testing.TestTraces;
import java.util.List;
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

    budget.release(1001);
    assertThat(consumer.consume(chat).accepted()).isTrue();
  }

  @Test
  void feedsEveryPipelineAndReportsRejectedSpansOnce() {
    final Pipeline rejecting =
        new Pipeline("traces/a", List.of(b -> new ProcessResult(TraceBatch.EMPTY, 2, "2 spans with bad ids")), List.of());
    final Pipeline alsoRejecting =
        new Pipeline("traces/b", List.of(b -> new ProcessResult(b, 2, "2 spans with bad ids")), List.of());
    final PipelineConsumer consumer =
        new PipelineConsumer(List.of(rejecting, alsoRejecting), MemoryBudget.unlimited());

    final ConsumeResult result = consumer.consume(chat);

    assertThat(result.accepted()).isTrue();
    assertThat(result.rejectedSpans()).isEqualTo(2);
    assertThat(result.message()).isEqualTo("2 spans with bad ids");
  }
}
