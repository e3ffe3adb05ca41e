package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.app.testing.TestConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backend faults against the real service in-process, with real backends on loopback: an outage, a
 * throttling backend, a slow backend next to a fast one. Each test prints what it measured. {@code
 * -Dfault.outageSeconds=N} lengthens the outage (default 20).
 */
class DeliveryFaultTest {
  private static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("fault.outageSeconds", 20));

  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private static TestConfig config() {
    return TestConfig.builder().service("shutdown_timeout: 2s");
  }

  @Test
  void backendDownForTheFirstTwentySecondsThenUp_everyAcknowledgedSpanArrives() {
    final int sinkPort = ports.next(); // refuses connections until the sink binds it
    final String yaml =
        config()
            .exporter(
                "otlphttp",
                "endpoint: http://127.0.0.1:" + sinkPort,
                "retry_on_failure: { initial_interval: 200ms, max_interval: 2s, max_elapsed_time: 10m }",
                "sending_queue: { queue_size: 100000 }")
            .yaml();
    try (Services.InProcess service = new Services.InProcess(yaml);
        Load load = new Load(service.tracesUrl())) {
      final long start = System.nanoTime();
      while (System.nanoTime() - start < OUTAGE.toNanos()) {
        assertThat(load.send(10, 64).join()).as("answer while the backend is down").isEqualTo(200);
        Services.sleep(Duration.ofMillis(50));
      }
      try (FaultSink sink = new FaultSink(sinkPort, Duration.ZERO)) {
        for (int i = 0; i < 20; i++) { // load goes on with the backend up
          assertThat(load.send(10, 64).join()).isEqualTo(200);
          Services.sleep(Duration.ofMillis(50));
        }
        await(
            Duration.ofSeconds(60),
            () -> sink.hasAll(load.acknowledged),
            "every acknowledged span at the backend");
        System.out.println(load.figures("backend down " + OUTAGE.toSeconds() + "s then up", sink));
        assertThat(load.acknowledged).hasSize((int) load.sent.get());
        assertThat(sink.missing(load.acknowledged)).isZero();
      }
    }
  }

  @Test
  void aThrottlingBackendsRetryAfterIsHonoured() {
    try (FaultSink sink = new FaultSink().answer(429, "2")) {
      final String yaml =
          config()
              .exporter(
                  "otlphttp",
                  "endpoint: " + sink.url(),
                  "retry_on_failure: { initial_interval: 100ms, max_interval: 200ms, randomization_factor: 0 }")
              .yaml();
      try (Services.InProcess service = new Services.InProcess(yaml);
          Load load = new Load(service.tracesUrl())) {
        assertThat(load.send(10, 64).join()).isEqualTo(200);
        await(
            Duration.ofSeconds(30),
            () -> sink.hasAll(load.acknowledged),
            "the spans after the 429");
        final List<Long> attempts = sink.attemptNanos();
        final long waitedMillis = (attempts.get(1) - attempts.get(0)) / 1_000_000;
        System.out.println(
            load.figures("429 with Retry-After: 2", sink)
                + ", attempts="
                + attempts.size()
                + ", waited_ms="
                + waitedMillis
                + " (backoff alone: 100ms)");
        assertThat(attempts).hasSize(2);
        // A lower bound only: a busy machine can make the wait longer, never shorter.
        assertThat(waitedMillis).isGreaterThanOrEqualTo(1900);
      }
    }
  }

  @Test
  void aSlowBackendDoesNotDelayAFastOne() {
    final int batches = 20;
    // The slow backend answers nothing until the fast one has had every batch: so, whatever the
    // machine's speed, none of them can have reached it by then.
    try (FaultSink slow = new FaultSink().hold();
        FaultSink fast = new FaultSink()) {
      final String yaml =
          config()
              .exporter(
                  "otlphttp/slow", "endpoint: " + slow.url(), "sending_queue: { num_consumers: 1 }")
              .exporter("otlphttp/fast", "endpoint: " + fast.url())
              .yaml();
      try (Services.InProcess service = new Services.InProcess(yaml);
          Load load = new Load(service.tracesUrl())) {
        final List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
          final long t0 = System.nanoTime();
          assertThat(load.send(10, 64).join()).isEqualTo(200);
          final long expected = (i + 1) * 10L;
          await(
              Await.TIMEOUT,
              () -> fast.delivered() >= expected,
              "batch " + i + " at the fast backend");
          latencies.add((System.nanoTime() - t0) / 1_000_000);
        }
        final long slowDelivered = slow.delivered();
        Collections.sort(latencies);
        System.out.println(
            load.figures("slow (holding its answers) next to fast", fast)
                + ", fast_latency_ms p50="
                + latencies.get(batches / 2)
                + " max="
                + latencies.get(batches - 1)
                + ", slow_delivered_meanwhile="
                + slowDelivered);
        assertThat(fast.delivered()).isEqualTo(batches * 10L);
        assertThat(slowDelivered).isZero();
        slow.release(); // and nothing was lost for it meanwhile
        await(
            Await.TIMEOUT,
            () -> slow.delivered() == batches * 10L,
            "every batch at the slow backend");
      }
    }
  }
}
