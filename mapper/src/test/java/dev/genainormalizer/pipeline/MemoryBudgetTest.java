package dev.genainormalizer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void tryAcquireCountsOnlyWhatFits() {
    final MemoryBudget budget = new MemoryBudget(100);

    assertThat(budget.tryAcquire(60)).isTrue();
    assertThat(budget.wouldFit(50)).isFalse();
    assertThat(budget.wouldFit(40)).isTrue();
    assertThat(budget.tryAcquire(50)).isFalse();
    assertThat(budget.usedBytes()).isEqualTo(60);
    assertThat(budget.tryAcquire(40)).isTrue();
    assertThat(budget.usedBytes()).isEqualTo(100);
    assertThat(budget.isExceeded()).isFalse();
  }

  @Test
  void anIdleBudgetTakesOneRequestLargerThanItsLimit() {
    final MemoryBudget budget = new MemoryBudget(100);

    assertThat(budget.tryAcquire(500)).isTrue();
    assertThat(budget.isExceeded()).isTrue();
    assertThat(budget.tryAcquire(1)).isFalse();
    budget.release(500);
    assertThat(budget.tryAcquire(1)).isTrue();
  }

  @Test
  void aBatchHeldInSeveralPlacesCountsOnceUntilTheLastLetsGo() {
    final MemoryBudget budget = new MemoryBudget(1_000);
    final TraceBatch batch =
        TraceBatch.of(
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest
                .getDefaultInstance());
    final TraceBatch equalButAnother =
        TraceBatch.of(
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest
                .getDefaultInstance());

    budget.acquireShared(batch, 100);
    budget.acquireShared(batch, 100);
    budget.acquireShared(equalButAnother, 100);
    assertThat(budget.usedBytes()).as("two objects").isEqualTo(200);

    budget.releaseShared(batch, 100);
    assertThat(budget.usedBytes()).isEqualTo(200);
    budget.releaseShared(batch, 100);
    budget.releaseShared(equalButAnother, 100);
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void concurrentRequestsNeverTakeItPastTheLimit() throws Exception {
    final MemoryBudget budget = new MemoryBudget(1_000);
    budget.acquire(1); // not idle: every request must fit
    final int threads = 8;
    final ExecutorService pool = Executors.newFixedThreadPool(threads);
    final CountDownLatch go = new CountDownLatch(1);
    final AtomicInteger granted = new AtomicInteger();
    try {
      final List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < 10_000; i++) {
                    if (budget.tryAcquire(10)) {
                      granted.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(granted.get()).isEqualTo(99);
    assertThat(budget.usedBytes()).isEqualTo(991);
  }
}
