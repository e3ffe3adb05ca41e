package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.NoBackendExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.testing.TestTraces;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  @Test
  void runsProcessorsInOrderAndFansOutToEveryExporter() {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final RecordingExporter a = new RecordingExporter();
    final RecordingExporter b = new RecordingExporter();
    final Pipeline pipeline =
        new Pipeline(
            "traces", List.of(named("first", calls), named("second", calls)), List.of(a, b));

    final ProcessResult result = pipeline.consume(chat).processed();

    assertThat(calls).containsExactly("first", "second");
    assertThat(a.batches).containsExactly(chat);
    assertThat(b.batches).containsExactly(chat);
    assertThat(result.rejectedSpans()).isZero();
  }

  @Test
  void reportsRejectedSpansAndExportsWhatIsLeft() {
    final RecordingExporter exporter = new RecordingExporter();
    final TraceProcessor rejectAll =
        batch -> new ProcessResult(TraceBatch.EMPTY, batch.spanCount(), "bad ids");
    final Pipeline pipeline = new Pipeline("traces", List.of(rejectAll), List.of(exporter));

    final ProcessResult result = pipeline.consume(chat).processed();

    assertThat(result.rejectedSpans()).isEqualTo(9);
    assertThat(result.rejectionMessage()).isEqualTo("bad ids");
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void spansReleasedByAHoldingProcessorRunThroughTheProcessorsAfterIt() {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicReference<TraceBatch> held = new AtomicReference<>();
    final TraceProcessor holding =
        new TraceProcessor() {
          @Override
          public ProcessResult process(TraceBatch batch) {
            calls.add("holding.process");
            held.set(batch);
            return ProcessResult.of(TraceBatch.EMPTY);
          }

          @Override
          public TraceBatch flush(boolean all) {
            calls.add("holding.flush(" + all + ")");
            final TraceBatch out = held.getAndSet(null);
            return out == null ? TraceBatch.EMPTY : out;
          }
        };
    final RecordingExporter exporter = new RecordingExporter();
    final Pipeline pipeline =
        new Pipeline(
            "traces",
            List.of(named("before", calls), holding, named("after", calls)),
            List.of(exporter));

    pipeline.consume(chat);
    assertThat(exporter.batches).isEmpty();
    assertThat(calls).containsExactly("before", "holding.process");

    pipeline.tick();
    assertThat(calls).containsExactly("before", "holding.process", "holding.flush(false)", "after");
    assertThat(exporter.batches).containsExactly(chat);

    pipeline.drain();
    assertThat(calls).endsWith("holding.flush(true)");
    assertThat(exporter.batches).hasSize(1);
  }

  private static TraceProcessor named(String name, List<String> calls) {
    return batch -> {
      calls.add(name);
      return ProcessResult.of(batch);
    };
  }

  private static final class RecordingExporter extends NoBackendExporter {
    final List<TraceBatch> batches = new CopyOnWriteArrayList<>();

    @Override
    public void start() {}

    @Override
    public boolean export(TraceBatch batch) {
      return batches.add(batch);
    }

    @Override
    public CompletableFuture<Long> shutdown(Duration timeout) {
      return CompletableFuture.completedFuture(0L);
    }
  }
}
