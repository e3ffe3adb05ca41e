package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySendingQueueTest {
  private final MemoryBudget budget = new MemoryBudget(1L << 30);

  @Test
  void handsBatchesOutInOrderAndReleasesTheirMemoryWhenDone() {
    final MemorySendingQueue queue = new MemorySendingQueue(new QueueConfig(10, 1), budget);
    queue.open();
    final TraceBatch first = batch(1);
    final TraceBatch second = batch(2);

    assertThat(queue.offer(first)).isTrue();
    assertThat(queue.offer(second)).isTrue();
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.waitingSpans()).isEqualTo(2);
    final long bytes = first.request().getSerializedSize() + second.request().getSerializedSize();
    assertThat(budget.usedBytes()).isEqualTo(bytes);

    final SendingQueue.Entry a = queue.poll();
    final SendingQueue.Entry b = queue.poll();
    assertThat(a.batch()).isSameAs(first);
    assertThat(b.batch()).isSameAs(second);
    assertThat(queue.poll()).isNull();
    assertThat(budget.usedBytes()).as("taken, not yet finished with").isEqualTo(bytes);
    a.done();
    b.keep();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void aFullQueueTakesNothingAndSaysWhy() {
    final MemorySendingQueue queue = new MemorySendingQueue(new QueueConfig(1, 1), budget);

    assertThat(queue.refusal(100)).isEmpty();
    assertThat(queue.offer(batch(1))).isTrue();
    assertThat(queue.offer(batch(2))).isFalse();

    assertThat(queue.fullReason()).isEqualTo("the sending queue is full (queue_size 1)");
    assertThat(queue.refusal(100))
        .hasValue("the sending queue is full (1 of queue_size 1 batches)");
    assertThat(budget.usedBytes()).isEqualTo(batch(1).request().getSerializedSize());
    assertThat(queue.usage()).isEqualTo(1);
    assertThat(queue.capacity()).isEqualTo(1);
  }

  @Test
  void withOnFullRefuseWhatWasLetInIsQueuedPastTheLimit() {
    final MemorySendingQueue queue =
        new MemorySendingQueue(new QueueConfig(1, 1).withOnFull(QueueConfig.OnFull.REFUSE), budget);

    assertThat(queue.offer(batch(1))).isTrue();
    assertThat(queue.offer(batch(2))).isTrue();

    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void closeReturnsWhatWaitedAndTakesNothingMore() {
    final MemorySendingQueue queue = new MemorySendingQueue(new QueueConfig(10, 1), budget);
    queue.offer(batch(1));
    queue.offer(batch(2));
    final SendingQueue.Entry taken = queue.poll();

    final List<SendingQueue.Entry> left = queue.close();

    assertThat(queue.durable()).isFalse();
    assertThat(left).extracting(SendingQueue.Entry::batch).containsExactly(batch(2));
    assertThat(queue.close()).as("idempotent").isEmpty();
    assertThatThrownBy(() -> queue.offer(batch(3))).isInstanceOf(IllegalStateException.class);
    taken.done();
    left.forEach(SendingQueue.Entry::done);
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void aBatchOfferedToTwoQueuesCountsOnce() {
    final MemorySendingQueue a = new MemorySendingQueue(new QueueConfig(10, 1), budget);
    final MemorySendingQueue b = new MemorySendingQueue(new QueueConfig(10, 1), budget);
    final TraceBatch shared = batch(1);

    a.offer(shared);
    b.offer(shared);
    a.poll().done();

    assertThat(budget.usedBytes()).isEqualTo(shared.request().getSerializedSize());
    b.poll().done();
    assertThat(budget.usedBytes()).isZero();
  }
}
