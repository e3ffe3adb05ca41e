package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.pipeline.MemoryBudget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSendingQueueTest {
  @TempDir Path dir;
  private final MemoryBudget budget = new MemoryBudget(1L << 30);

  private static final QueueConfig DISK =
      QueueConfig.disk(1, "/unused", ByteSize.parse("1MiB"), QueueConfig.Fsync.NEVER);

  private DiskSendingQueue queue() {
    return queue(DISK);
  }

  private DiskSendingQueue queue(QueueConfig config) {
    return new DiskSendingQueue(dir.resolve("otlp"), config, budget, n -> {});
  }

  @Test
  void takesNothingAndTouchesNothingUntilOpened() {
    final DiskSendingQueue queue = queue();

    assertThatThrownBy(() -> queue.offer(batch(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the disk queue " + dir.resolve("otlp") + " is not open");
    assertThat(queue.poll()).isNull();
    assertThat(queue.close()).isEmpty();
    assertThat(dir.resolve("otlp")).doesNotExist();
  }

  @Test
  void whatIsDoneLeavesTheDiskWhatIsKeptIsHandedOutAgainByTheNextOpen() {
    final DiskSendingQueue first = queue();
    first.open();
    assertThat(first.offer(batch(1))).isTrue();
    assertThat(first.offer(batch(2))).isTrue();
    assertThat(first.size()).isEqualTo(2);
    assertThat(first.waitingSpans()).isEqualTo(2);

    final SendingQueue.Entry one = first.poll();
    final SendingQueue.Entry two = first.poll();
    assertThat(budget.usedBytes()).as("read back: in memory until finished with").isPositive();
    one.done();
    two.keep();
    assertThat(budget.usedBytes()).isZero();
    assertThat(first.close()).as("durable: nothing to count as dropped").isEmpty();

    final DiskSendingQueue second = queue();
    second.open();
    assertThat(second.size()).isEqualTo(1);
    assertThat(second.poll().batch()).isEqualTo(batch(2));
    second.close();
  }

  @Test
  void aFullQueueSaysHowFullInBytes() {
    final DiskSendingQueue queue = queue(DISK.withOnFull(QueueConfig.OnFull.DROP));
    queue.open();
    final long size = batch(0).request().getSerializedSize();
    int written = 0;
    while (queue.refusal(size).isEmpty()) {
      assertThat(queue.offer(batch(written++))).isTrue();
    }

    assertThat(queue.offer(batch(written))).isFalse();
    assertThat(queue.fullReason()).isEqualTo("the disk queue is full (max_bytes 1048576)");
    assertThat(queue.refusal(size))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith("the disk queue is full (")
                    .endsWith(" of max_bytes 1048576 bytes used)"));
    assertThat(queue.usage())
        .isLessThanOrEqualTo(queue.capacity())
        .isGreaterThan(queue.capacity() - 2 * size);
    queue.close();
  }

  @Test
  void withOnFullRefuseWhatWasLetInIsWrittenPastTheLimit() {
    final DiskSendingQueue queue = queue();
    queue.open();
    final long size = batch(0).request().getSerializedSize();
    int written = 0;
    while (queue.refusal(size).isEmpty()) {
      queue.offer(batch(written++));
    }

    assertThat(queue.offer(batch(written))).isTrue();
    assertThat(queue.size()).isEqualTo(written + 1);
    queue.close();
  }
}
