package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.exporter.helper.HelperTestSupport.FAST_RETRY;
import static dev.genainormalizer.exporter.helper.HelperTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.helper.RetryingSender.Outcome;
import dev.genainormalizer.exporter.helper.RetryingSender.Result;
import dev.genainormalizer.exporter.testing.Await;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingSenderTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExporterTelemetry telemetry =
      new ExporterTelemetry(registry, "otlp/test", () -> 0, 1);
  private final List<Result> results = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  private RetryingSender retrying(TraceSender sender, RetryConfig retry) {
    return new RetryingSender(
        "otlp/test", sender, retry, scheduler, Clock.SYSTEM, () -> 0.5, telemetry);
  }

  @Test
  void endsOnceWithSentAfterRetryableFailures() {
    final ScriptedSender sender =
        ScriptedSender.healthy().thenFail(new RetryableExportException("503"), 2);

    retrying(sender, FAST_RETRY).send(batch(1), results::add);

    Await.until("ended", () -> !results.isEmpty());
    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.SENT));
    assertThat(sender.attempts()).hasSize(3);
    assertThat(telemetry.retries.count()).isEqualTo(2);
  }

  @Test
  void aRetryThatWouldPassTheShutdownDeadlineIsDroppedSayingWhy() {
    final ScriptedSender sender =
        ScriptedSender.failing(new RetryableExportException("429", Duration.ofSeconds(30)));
    final RetryingSender retrying = retrying(sender, FAST_RETRY);
    retrying.deadline(System.nanoTime() + Duration.ofSeconds(1).toNanos());

    retrying.send(batch(1), results::add);

    Await.until("ended", () -> !results.isEmpty());
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.DROPPED);
    assertThat(results.get(0).why())
        .startsWith("dropped at shutdown (next retry would pass the deadline): 429");
    assertThat(sender.attempts()).hasSize(1);
  }

  @Test
  void abandonCancelsThePendingRetryAndIgnoresALateAnswer() throws Exception {
    final CompletableFuture<Void> answer = new CompletableFuture<>();
    final List<CompletableFuture<Void>> answers =
        List.of(
            CompletableFuture.failedFuture(
                new RetryableExportException("503", Duration.ofSeconds(30))),
            answer);
    final List<Integer> calls = new CopyOnWriteArrayList<>();
    final TraceSender sender =
        b -> {
          calls.add(1);
          return answers.get(Math.min(calls.size() - 1, 1));
        };
    final RetryingSender.Delivery delivery =
        retrying(sender, FAST_RETRY).send(batch(1), results::add);
    Await.until("first attempt failed", () -> telemetry.retries.count() == 1);

    assertThat(delivery.abandon()).isEqualTo(RetryingSender.Abandoned.WAITING_TO_RETRY);
    assertThat(delivery.abandon())
        .as("only once")
        .isEqualTo(RetryingSender.Abandoned.ALREADY_ENDED);

    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.DROPPED));
    assertThat(calls).as("the 30 s retry was cancelled").hasSize(1);
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheDelivery() {
    final RetryingSender retrying = retrying(ScriptedSender.healthy(), FAST_RETRY);
    retrying.listener(
        (b, e) -> {
          throw new IllegalStateException("listener bug");
        });

    retrying.send(batch(1), results::add);

    Await.until("ended", () -> !results.isEmpty());
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.SENT);
  }

  @Test
  void aShutDownSchedulerDropsAtOnce() {
    scheduler.shutdown();

    retrying(ScriptedSender.healthy(), FAST_RETRY).send(batch(1), results::add);

    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.DROPPED));
  }
}
