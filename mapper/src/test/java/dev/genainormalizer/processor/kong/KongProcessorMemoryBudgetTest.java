package dev.genainormalizer.processor.kong;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Held traces count against the service's memory budget, so receivers push back before OOM. */
class KongProcessorMemoryBudgetTest {
  @Test
  void heldBytesAreInTheBudgetUntilReleased() {
    final MemoryBudget budget = new MemoryBudget(1L << 30);
    final KongProcessor processor =
        new KongProcessor(
            KongProcessorConfig.defaults(),
            new ProcessorSettings(
                ComponentId.of("kong"),
                "traces",
                new SimpleMeterRegistry(),
                new MockClock(),
                budget));
    final TraceBatch genAiOnly = TraceBatch.of(TestTraces.fixture("kong/chat-genai-only.json"));
    processor.process(genAiOnly);
    assertThat(processor.pendingSpans()).isEqualTo(1);
    assertThat(budget.usedBytes())
        .as("at least the held span's serialized bytes")
        .isGreaterThanOrEqualTo(genAiOnly.request().getSerializedSize() / 2);

    processor.flush(true);
    assertThat(budget.usedBytes()).isZero();
  }
}
