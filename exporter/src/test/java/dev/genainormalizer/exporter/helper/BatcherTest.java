package dev.genainormalizer.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.BatchConfig.Sizer;
import dev.genainormalizer.exporter.helper.Batcher.Batch;
import dev.genainormalizer.exporter.helper.Batcher.FlushReason;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge and split rules of {@code sending_queue.batch}, without threads or clocks. */
class BatcherTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private int nextSpan;

  /** A queued batch of {@code spans} spans with distinct names. */
  private TraceBatch batch(int spans) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++, nextSpan++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(nextSpan + 1L).array()))
              .setName("span-" + nextSpan));
    }
    return TraceBatch.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
            .build());
  }

  private static SendingQueue.Entry entry(TraceBatch batch) {
    return new SendingQueue.Entry() {
      @Override
      public TraceBatch batch() {
        return batch;
      }

      @Override
      public void done() {}

      @Override
      public void keep() {}
    };
  }

  private static List<String> names(TraceBatch batch) {
    final List<String> out = new ArrayList<>();
    for (ResourceSpans rs : batch.request().getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(s -> out.add(s.getName()));
      }
    }
    return out;
  }

  private static List<String> names(List<TraceBatch> batches) {
    final List<String> out = new ArrayList<>();
    batches.forEach(b -> out.addAll(names(b)));
    return out;
  }

  private static BatchConfig items(long min, long max) {
    return new BatchConfig(true, TIMEOUT, min, max, Sizer.ITEMS);
  }

  @Test
  void mergesQueuedBatchesUntilMinSizeThenSendsAtOnce() {
    final Batcher batcher = new Batcher(items(10, 0), 0);

    assertThat(batcher.add(entry(batch(4)), 0)).isEmpty();
    assertThat(batcher.add(entry(batch(4)), 5)).isEmpty();
    final List<Batch> ready = batcher.add(entry(batch(4)), 10);

    assertThat(ready)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.batch.spanCount()).isEqualTo(12);
              assertThat(b.batch.request().getResourceSpansCount())
                  .as("appended in arrival order")
                  .isEqualTo(3);
              assertThat(names(b.batch))
                  .containsExactly(
                      "span-0", "span-1", "span-2", "span-3", "span-4", "span-5", "span-6",
                      "span-7", "span-8", "span-9", "span-10", "span-11");
              assertThat(b.reason).isEqualTo(FlushReason.SIZE);
              assertThat(b.parts).hasSize(3);
            });
    assertThat(batcher.hasPending()).isFalse();
  }

  @Test
  void belowMinSizeTheBatchWaitsForTheFlushTimeoutCountedFromItsFirstPart() {
    final Batcher batcher = new Batcher(items(100, 0), 0);
    batcher.add(entry(batch(3)), 1_000);
    batcher.add(entry(batch(3)), 50_000_000);

    assertThat(batcher.hasPending()).isTrue();
    assertThat(batcher.pendingDeadlineNanos()).isEqualTo(1_000 + TIMEOUT.toNanos());
    final Batch flushed = batcher.flush(FlushReason.TIMEOUT);
    assertThat(flushed.batch.spanCount()).isEqualTo(6);
    assertThat(flushed.reason).isEqualTo(FlushReason.TIMEOUT);
    assertThat(batcher.flush(FlushReason.TIMEOUT)).isNull();
  }

  @Test
  void aBatchThatWasMergedWithNothingIsSentUnchanged() {
    final Batcher batcher = new Batcher(items(100, 0), 0);
    final TraceBatch alone = batch(3);
    batcher.add(entry(alone), 0);

    assertThat(batcher.flush(FlushReason.TIMEOUT).batch).isSameAs(alone);
  }

  @Test
  void maxSizeFillsTheBatchToTheLimitAndTheRestStartsTheNext() {
    final Batcher batcher = new Batcher(items(8, 10), 0);
    final SendingQueue.Entry first = entry(batch(6));
    final SendingQueue.Entry big = entry(batch(25));
    batcher.add(first, 0);

    final List<Batch> ready = batcher.add(big, 7);

    // 6 + 4 of big, then 10 of big twice, whole; the 1 span left starts the next batch
    assertThat(ready).extracting(b -> b.batch.spanCount()).containsExactly(10, 10, 10);
    assertThat(ready).extracting(b -> b.reason).containsOnly(FlushReason.SIZE);
    final Batch rest = batcher.flush(FlushReason.TIMEOUT);
    assertThat(rest.batch.spanCount()).isEqualTo(1);
    final List<TraceBatch> sent = new ArrayList<>(ready.stream().map(b -> b.batch).toList());
    sent.add(rest.batch);
    assertThat(names(sent)).containsExactlyElementsOf(names(List.of(first.batch(), big.batch())));
    final Batcher.Tracked bigTracked = ready.get(1).parts.get(0);
    assertThat(bigTracked.entry).isSameAs(big);
    assertThat(ready.get(0).parts).extracting(t -> t.entry).containsExactly(first, big);
    assertThat(ready.get(2).parts).containsExactly(bigTracked);
    assertThat(rest.parts).containsExactly(bigTracked);
    assertThat(bigTracked.openBatches).as("in four batches").isEqualTo(4);
  }

  @Test
  void aSplitEntryIsDoneOnlyWhenItsLastBatchIsAndRemembersTheFirstFailure() {
    final Batcher batcher = new Batcher(items(100, 10), 0);
    final List<Batch> ready = batcher.add(entry(batch(15)), 0);
    final Batch rest = batcher.flush(FlushReason.TIMEOUT);
    final Batcher.Tracked tracked = rest.parts.get(0);
    final RuntimeException failure = new IllegalStateException("503");

    assertThat(ready).singleElement().satisfies(b -> assertThat(b.batch.spanCount()).isEqualTo(10));
    assertThat(rest.batch.spanCount()).isEqualTo(5);
    assertThat(tracked.partDone(false, failure)).isFalse();
    assertThat(tracked.partDone(false, null)).isTrue();
    assertThat(tracked.error).isSameAs(failure);
    assertThat(tracked.kept).isFalse();
  }

  @Test
  void theBytesSizerCountsSerializedBytes() {
    final TraceBatch probe = batch(1);
    final long perBatch = probe.request().getSerializedSize();
    final Batcher batcher =
        new Batcher(new BatchConfig(true, TIMEOUT, 3 * perBatch, 0, Sizer.BYTES), 0);

    batcher.add(entry(batch(1)), 0);
    batcher.add(entry(batch(1)), 0);
    final List<Batch> ready = batcher.add(entry(batch(1)), 0);

    assertThat(ready)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.batch.spanCount()).isEqualTo(3);
              assertThat((long) b.batch.request().getSerializedSize()).isEqualTo(3 * perBatch);
            });
  }

  @Test
  void theBackendsRequestLimitCutsBatchesWhateverTheSizer() {
    final TraceBatch probe = batch(10);
    final long tenSpans = probe.request().getSerializedSize();
    final Batcher batcher = new Batcher(items(1000, 0), tenSpans);

    final List<Batch> ready = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ready.addAll(batcher.add(entry(batch(4)), 0));
    }
    final Batch last = batcher.flush(FlushReason.TIMEOUT);

    assertThat(ready)
        .isNotEmpty()
        .allSatisfy(
            b ->
                assertThat((long) b.batch.request().getSerializedSize())
                    .isLessThanOrEqualTo(tenSpans));
    assertThat((long) last.batch.request().getSerializedSize()).isLessThanOrEqualTo(tenSpans);
    assertThat(ready.stream().mapToInt(b -> b.batch.spanCount()).sum() + last.batch.spanCount())
        .isEqualTo(20);
  }

  @Test
  void minSizeZeroSendsEachQueuedBatchAtOnce() {
    final Batcher batcher = new Batcher(items(0, 0), 0);

    assertThat(batcher.add(entry(batch(2)), 0)).hasSize(1);
    assertThat(batcher.hasPending()).isFalse();
  }

  @Test
  void disabledSendsEveryQueuedBatchAsItCameEvenOverTheLimits() {
    final Batcher batcher = new Batcher(BatchConfig.disabled(), 10);
    final TraceBatch big = batch(50);

    final List<Batch> ready = batcher.add(entry(big), 0);

    assertThat(ready)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.batch).isSameAs(big);
              assertThat(b.reason).isEqualTo(FlushReason.NONE);
            });
    assertThat(batcher.hasPending()).isFalse();
  }
}
