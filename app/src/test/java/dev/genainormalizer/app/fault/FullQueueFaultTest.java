package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.app.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend down long enough to fill its exporter's queue, with {@code sending_queue.on_full:
 * refuse}: the service answers 503 instead of acknowledging what it would have to drop, and every
 * span it acknowledged arrives once the backend is back. Each test prints what it measured.
 */
class FullQueueFaultTest {
  @TempDir Path queueDir;

  /** The backend's port: refuses connections until the sink binds it. */
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private static String config(String sendingQueue, int sinkPort) {
    return TestConfig.builder()
        .exporter(
            "otlphttp",
            "endpoint: http://127.0.0.1:" + sinkPort,
            "retry_on_failure: { initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 10m }",
            "sending_queue: " + sendingQueue)
        .service("shutdown_timeout: 2s")
        .yaml();
  }

  @Test
  void aFullDiskQueueRefusesWith503AndLosesNothingItAcknowledged() {
    final int sinkPort = ports.next();
    // 1 MiB of ~10 KB requests: full after about a hundred, with the backend down
    final String yaml =
        config(
            "{ storage: disk, directory: '" + queueDir + "', max_bytes: 1MiB, num_consumers: 2 }",
            sinkPort);
    fillThenRecover(yaml, sinkPort, "disk queue (max_bytes 1MiB) full, backend down then up");
  }

  @Test
  void aFullMemoryQueueWithOnFullRefuseRefusesWith503AndLosesNothingItAcknowledged() {
    final int sinkPort = ports.next();
    final String yaml = config("{ queue_size: 20, num_consumers: 2, on_full: refuse }", sinkPort);
    fillThenRecover(
        yaml, sinkPort, "memory queue (queue_size 20, on_full: refuse) full, backend down then up");
  }

  private static void fillThenRecover(String yaml, int sinkPort, String test) {
    try (Services.InProcess service = new Services.InProcess(yaml);
        Load load = new Load(service.tracesUrl())) {
      int status = 200;
      for (int i = 0; i < 5_000 && status == 200; i++) {
        status = load.send(10, 1_000).join();
      }
      assertThat(status).as("the answer once the queue is full").isEqualTo(503);
      for (int i = 0; i < 5; i++) {
        assertThat(load.send(10, 1_000).join()).as("still full").isEqualTo(503);
      }
      assertThat(
              service
                  .service
                  .meterRegistry()
                  .find("otelcol.receiver.requests")
                  .tag("outcome", "refused")
                  .counters()
                  .stream()
                  .mapToDouble(c -> c.count())
                  .sum())
          .isEqualTo(load.unavailable.get());
      try (FaultSink sink = new FaultSink(sinkPort, Duration.ZERO)) {
        await(
            Duration.ofSeconds(60),
            () -> sink.hasAll(load.acknowledged),
            "every acknowledged span at the backend");
        await(Await.TIMEOUT, () -> load.send(10, 1_000).join() == 200, "accepted again");
        await(Await.TIMEOUT, () -> sink.hasAll(load.acknowledged), "the spans accepted after it");
        System.out.println(load.figures(test, sink));
        assertThat(load.otherStatus.get() + load.failed.get())
            .as("only 200 and 503 answers")
            .isZero();
        assertThat(sink.missing(load.acknowledged)).isZero();
        assertThat(counter(service, "otelcol.exporter.enqueue_failed.spans"))
            .as("nothing dropped")
            .isZero();
      }
    }
  }

  private static double counter(Services.InProcess service, String name) {
    return service.service.meterRegistry().find(name).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
