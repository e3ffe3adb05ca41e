package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.NoBackendExporter;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.MockClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stop's stages share one deadline fixed at the signal: each gets what the ones before it left,
 * requests let in before the stop are queued before the exporters drain, and the report counts what
 * every exporter left, in memory or on disk.
 */
class ShutdownTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final MockClock clock = new MockClock();
  private final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTicker() {
    ticker.shutdownNow();
  }

  @Test
  void theDeadlineIsFixedWhenTheStopIsRequestedNotWhenTheStopRuns() {
    final ShutdownSignals signals = new ShutdownSignals(TIMEOUT, clock);
    signals.request();
    clock.add(Duration.ofSeconds(3)); // the main thread is slow to wake up
    signals.request(); // a second signal changes nothing

    assertThat(signals.awaitRequest().remaining()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void everyStageGetsWhatTheStagesBeforeItLeftOfOneDeadline() {
    final ShutdownDeadline deadline = ShutdownDeadline.after(TIMEOUT, clock);
    clock.add(Duration.ofSeconds(1)); // from the signal to the stop
    final FakeExporter exporter = new FakeExporter("otlp", 0, 0);
    // releasing the held spans takes 2 s
    final Shutdown shutdown = shutdown(List.of(holding(chat, Duration.ofSeconds(2))), exporter);

    final StopReport report = shutdown.run(deadline);

    assertThat(exporter.timeout.get())
        .as("what the exporter may drain for")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(events).containsExactly("otlp.export(9 spans)", "otlp.shutdown", "admin.close");
    assertThat(report.everySpanSent()).isTrue();
  }

  @Test
  void requestsLetInBeforeTheStopAreQueuedBeforeTheExportersDrainAndLaterOnesAreRefused()
      throws Exception {
    final IntakeGate gate = new IntakeGate();
    final FakeExporter exporter = new FakeExporter("otlp", 0, 0);
    final Pipeline pipeline = new Pipeline("traces", List.of(), List.of(exporter));
    final CountDownLatch inside = new CountDownLatch(1);
    final CountDownLatch finish = new CountDownLatch(1);
    final CompletableFuture<ConsumeResult> inFlight =
        CompletableFuture.supplyAsync(
            () ->
                gate.pass(
                    () -> {
                      inside.countDown();
                      await(finish);
                      pipeline.consume(chat);
                      return ConsumeResult.ACCEPTED;
                    }));
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    final CompletableFuture<StopReport> stopped =
        CompletableFuture.supplyAsync(
            () ->
                new Shutdown(
                        gate,
                        Map.of(),
                        ticker,
                        List.of(pipeline),
                        exporters(exporter),
                        this::closeAdmin)
                    .run(
                        ShutdownDeadline.after(
                            Duration.ofMinutes(1), io.micrometer.core.instrument.Clock.SYSTEM)));
    while (gate.refusal().isEmpty()) {
      Thread.onSpinWait();
    }
    assertThat(gate.pass(() -> ConsumeResult.ACCEPTED))
        .as("a request after the stop began")
        .isEqualTo(IntakeGate.STOPPING);
    assertThat(IntakeGate.STOPPING.accepted()).isFalse();
    assertThat(IntakeGate.STOPPING.retryAfter()).isPositive();
    finish.countDown();

    assertThat(inFlight.get(30, TimeUnit.SECONDS).accepted())
        .as("the request let in before")
        .isTrue();
    stopped.get(30, TimeUnit.SECONDS);
    assertThat(events).containsExactly("otlp.export(9 spans)", "otlp.shutdown", "admin.close");
  }

  @Test
  void aReceiverStillClosingAtTheDeadlineDoesNotHoldTheStop() {
    final ShutdownDeadline deadline = ShutdownDeadline.after(TIMEOUT, clock);
    final FakeReceiver receiver = new FakeReceiver(); // never finishes closing
    final Map<ComponentId, Receiver> receivers = Map.of(ComponentId.of("otlp"), receiver);
    final FakeExporter exporter = new FakeExporter("otlp", 0, 0);
    final Shutdown shutdown =
        new Shutdown(
            new IntakeGate(),
            receivers,
            ticker,
            List.of(new Pipeline("traces", List.of(holding(chat, TIMEOUT)), List.of(exporter))),
            exporters(exporter),
            this::closeAdmin);

    final StopReport report = shutdown.run(deadline);

    assertThat(receiver.stopCalled).as("receivers are told to stop at once").isTrue();
    assertThat(exporter.timeout.get()).isZero();
    assertThat(report.everySpanSent()).isTrue();
  }

  @Test
  void theReportAddsWhatEachExporterDroppedOrLeftOnDiskAndNamesThoseThatDidNotReport() {
    final ShutdownDeadline deadline = ShutdownDeadline.after(TIMEOUT, clock);
    final FakeExporter memory = new FakeExporter("otlp/memory", 7, 0);
    final FakeExporter disk = new FakeExporter("otlp/disk", 0, 5);
    final FakeExporter hung = new FakeExporter("otlp/hung", -1, 0);
    // past the deadline and its grace: nobody is waited for
    final Shutdown shutdown =
        shutdown(List.of(holding(chat, TIMEOUT.plus(ShutdownDeadline.GRACE))), memory, disk, hung);

    final StopReport report = shutdown.run(deadline);

    assertThat(report).isEqualTo(new StopReport(7, 5, 0, List.of("otlp/hung")));
    assertThat(report.summary(Duration.ofMillis(6000)))
        .isEqualTo(
            "genai-normalizer stopped in 6.0 s: 7 spans"
                + " dropped (not sent), 5 spans left in disk queues for the next run, exporters [otlp/hung] did not"
                + " report (their counts are unknown)");
  }

  @Test
  void anExporterThatFailsToStopDoesNotKeepTheOthersFromDrainingAndBeingCounted() {
    final FakeExporter broken = new FakeExporter("otlp/broken", -2, 0);
    final FakeExporter memory = new FakeExporter("otlp/memory", 3, 0);

    final StopReport report =
        shutdown(List.of(), broken, memory).run(ShutdownDeadline.after(TIMEOUT, clock));

    assertThat(memory.timeout.get()).isEqualTo(TIMEOUT);
    assertThat(report).isEqualTo(new StopReport(3, 0, 0, List.of("otlp/broken")));
    assertThat(report.everySpanSent()).isFalse();
  }

  @Test
  void heldSpansAnExporterCouldNotQueueAreCounted() {
    final FakeExporter full = new FakeExporter("otlp", 0, 0);
    full.refuseExports = true;

    final StopReport report =
        shutdown(List.of(holding(chat, Duration.ZERO)), full)
            .run(ShutdownDeadline.after(TIMEOUT, clock));

    assertThat(report.heldSpansNotQueued()).isEqualTo(9);
    assertThat(report.everySpanSent()).isFalse();
    assertThat(report.summary(Duration.ofSeconds(1)))
        .endsWith(": 9 held spans could not be queued (dropped)");
  }

  @Test
  void theFinalLineSaysEveryQueuedSpanWasSentOnlyWhenNothingWasLeft() {
    assertThat(new StopReport(0, 0, 0, List.of()).summary(Duration.ofMillis(1234)))
        .isEqualTo("genai-normalizer stopped in 1.2 s: every queued span was sent");
    assertThat(new StopReport(0, 1810, 0, List.of()).summary(Duration.ofSeconds(5)))
        .isEqualTo(
            "genai-normalizer stopped in 5.0 s: 1810 spans left in disk queues for the next run");
  }

  private Shutdown shutdown(List<TraceProcessor> processors, FakeExporter... exporters) {
    final Pipeline pipeline = new Pipeline("traces", processors, List.of(exporters));
    return new Shutdown(
        new IntakeGate(),
        Map.of(),
        ticker,
        List.of(pipeline),
        exporters(exporters),
        this::closeAdmin);
  }

  private CompletableFuture<Void> closeAdmin() {
    events.add("admin.close");
    return CompletableFuture.completedFuture(null);
  }

  private static Map<ComponentId, TraceExporter> exporters(FakeExporter... exporters) {
    final Map<ComponentId, TraceExporter> out = new LinkedHashMap<>();
    for (FakeExporter e : exporters) {
      out.put(ComponentId.parse(e.id), e);
    }
    return out;
  }

  /**
   * Holds {@code held} until the stop releases it, which takes {@code releaseTakes} of the clock.
   */
  private TraceProcessor holding(TraceBatch held, Duration releaseTakes) {
    final AtomicReference<TraceBatch> holds = new AtomicReference<>(held);
    return new TraceProcessor() {
      @Override
      public ProcessResult process(TraceBatch batch) {
        return ProcessResult.of(batch);
      }

      @Override
      public TraceBatch flush(boolean all) {
        if (!all) {
          return TraceBatch.EMPTY;
        }
        clock.add(releaseTakes);
        final TraceBatch out = holds.getAndSet(null);
        return out == null ? TraceBatch.EMPTY : out;
      }
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private final class FakeExporter extends NoBackendExporter {
    final String id;
    final long dropped; // -1: never finishes; -2: throws
    final long left;
    final AtomicReference<Duration> timeout = new AtomicReference<>();
    volatile boolean refuseExports;

    FakeExporter(String id, long dropped, long left) {
      this.id = id;
      this.dropped = dropped;
      this.left = left;
    }

    @Override
    public void start() {}

    @Override
    public boolean export(TraceBatch batch) {
      if (refuseExports) {
        return false;
      }
      events.add(id + ".export(" + batch.spanCount() + " spans)");
      return true;
    }

    @Override
    public CompletableFuture<Long> shutdown(Duration timeout) {
      events.add(id + ".shutdown");
      this.timeout.set(timeout);
      if (dropped == -2) {
        throw new IllegalStateException("broken");
      }
      return dropped < 0 ? new CompletableFuture<>() : CompletableFuture.completedFuture(dropped);
    }

    @Override
    public long spansLeftForNextRun() {
      return left;
    }
  }

  private static final class FakeReceiver implements Receiver {
    volatile boolean stopCalled;

    @Override
    public CompletableFuture<Void> start() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> stop() {
      stopCalled = true;
      return new CompletableFuture<>();
    }

    @Override
    public Map<String, InetSocketAddress> boundAddresses() {
      return Map.of();
    }
  }
}
