package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.TraceConsumer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** A {@link TraceConsumer} that keeps every batch and answers what the test tells it to. */
final class RecordingConsumer implements TraceConsumer {
  private final List<TraceBatch> batches = new CopyOnWriteArrayList<>();
  private final AtomicReference<Function<TraceBatch, ConsumeResult>> answer =
      new AtomicReference<>(b -> ConsumeResult.ACCEPTED);

  private final AtomicReference<Optional<ConsumeResult>> refusal =
      new AtomicReference<>(Optional.empty());

  @Override
  public Optional<ConsumeResult> refusal() {
    return refusal.get();
  }

  /** What {@link #refusal()} answers: a refusal given before the body is read. */
  void refuseBeforeReading(Optional<ConsumeResult> r) {
    refusal.set(r);
  }

  @Override
  public ConsumeResult consume(TraceBatch batch) {
    batches.add(batch);
    return answer.get().apply(batch);
  }

  void answer(Function<TraceBatch, ConsumeResult> f) {
    answer.set(f);
  }

  List<TraceBatch> batches() {
    return List.copyOf(batches);
  }

  void reset() {
    batches.clear();
    answer.set(b -> ConsumeResult.ACCEPTED);
    refusal.set(Optional.empty());
  }
}
