package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.app.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the service process itself, run as its own JVM: killed with SIGKILL under load with a
 * disk queue, and driven at ten times what its backend takes with a small heap. Each test prints
 * what it measured. {@code -Dfault.killAfterSpans=N} and {@code -Dfault.overloadSeconds=N} make
 * longer runs.
 */
class ProcessFaultTest {
  private static final ChildJvm JVM = ChildJvm.withHeap("256m").quickStart();

  /** The overload test bounds the heap: a JVM as operators run it, but for its small heap. */
  private static final ChildJvm OVERLOAD_JVM = ChildJvm.withHeap("128m");

  private static final long KILL_AFTER_SPANS = Long.getLong("fault.killAfterSpans", 3000);
  private static final Duration OVERLOAD =
      Duration.ofSeconds(Long.getLong("fault.overloadSeconds", 15));
  private static final Duration OVERLOAD_CAP = OVERLOAD.plusSeconds(120);

  /**
   * {@code service.memory_limit} of the overload test; {@code -Dfault.memoryLimit=default} runs it
   * with the default (a share of the heap).
   */
  private static final String MEMORY_LIMIT = System.getProperty("fault.memoryLimit", "32MiB");

  private static TestConfig withMemoryLimit(TestConfig config) {
    return MEMORY_LIMIT.equals("default")
        ? config
        : config.service("memory_limit: " + MEMORY_LIMIT);
  }

  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  /** The service on fixed ports (it runs as its own process), exporting with {@code otlphttp}. */
  private static TestConfig config(int httpPort, int adminPort, String... otlphttp) {
    return TestConfig.builder()
        .http("127.0.0.1:" + httpPort)
        .admin("127.0.0.1:" + adminPort)
        .exporter("otlphttp", otlphttp);
  }

  @Test
  void killedWithSigkillUnderLoadWithADiskQueue_everyAcknowledgedSpanArrivesAfterARestart()
      throws Exception {
    try (FaultSink sink = new FaultSink()) {
      killUnderLoadAndRestart(
          "SIGKILL mid-load, disk queue, restart",
          sink,
          "endpoint: " + sink.url(),
          "retry_on_failure: { initial_interval: 100ms, max_interval: 1s }",
          "sending_queue:",
          "  storage: disk",
          "  directory: " + dir.resolve("queue"),
          "  num_consumers: 2",
          "  fsync: batch");
    }
  }

  /**
   * With batching, a request sent to the backend merges many queued ones: none of them may leave
   * the disk before the merged request is accepted. Here everything acknowledged before the kill is
   * still in the batch being filled (neither its min_size nor its flush_timeout is reached), so a
   * queue that let go of a request once merged would lose all of it.
   */
  @Test
  void killedWithSigkillWithADiskQueueAndBatchingOn_noMergedRequestLosesWhatItCarries()
      throws Exception {
    try (FaultSink sink = new FaultSink(0, Duration.ofMillis(100))) {
      final long requests =
          killUnderLoadAndRestart(
              "SIGKILL mid-load, disk queue, batching, restart",
              sink,
              "endpoint: " + sink.url(),
              "retry_on_failure: { initial_interval: 100ms, max_interval: 1s }",
              "sending_queue:",
              "  storage: disk",
              "  directory: " + dir.resolve("queue"),
              "  num_consumers: 2",
              "  fsync: batch",
              "  batch: { flush_timeout: 10s, min_size: 100000 }");
      assertThat(requests)
          .as("requests the backend accepted: merged, far fewer than the 10-span requests sent")
          .isLessThan(KILL_AFTER_SPANS / 10 / 4);
    }
  }

  /**
   * Runs the service with {@code exporter} (an {@code otlphttp} block to {@code sink}), loads it
   * with 10-span requests, kills it with SIGKILL once {@link #KILL_AFTER_SPANS} spans were
   * acknowledged, restarts it and checks that every acknowledged span reaches the sink. Returns the
   * requests the sink accepted.
   */
  private long killUnderLoadAndRestart(String figures, FaultSink sink, String... exporter)
      throws Exception {
    final int http1 = ports.next();
    final int admin1 = ports.next();
    final Services.OwnProcess first =
        new Services.OwnProcess(
            dir,
            "first",
            config(http1, admin1, exporter).service("shutdown_timeout: 2s").yaml(),
            JVM,
            admin1);
    first.awaitReady();
    long deliveredAtKill;
    try (Load load = new Load("http://127.0.0.1:" + http1 + "/v1/traces")) {
      final Semaphore inFlight = new Semaphore(8);
      while (load.ok.get() < KILL_AFTER_SPANS) {
        if (load.ok.get() >= KILL_AFTER_SPANS / 2) {
          sink.hold(); // what is acknowledged from here on cannot be delivered before the kill
        }
        inFlight.acquire();
        load.send(10, 128).whenComplete((s, e) -> inFlight.release());
      }
      first.process.destroyForcibly(); // SIGKILL, requests still in flight
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      inFlight.acquire(8); // every request has its answer (or its transport error)
      deliveredAtKill = sink.delivered();
      sink.release();

      final int http2 = ports.next();
      final int admin2 = ports.next();
      final Services.OwnProcess second =
          new Services.OwnProcess(
              dir,
              "second",
              config(http2, admin2, exporter).service("shutdown_timeout: 2s").yaml(),
              JVM,
              admin2);
      try {
        second.awaitReady();
        await(
            Duration.ofSeconds(90),
            () -> sink.hasAll(load.acknowledged),
            "every acknowledged span at the backend after the restart");
        final long requests = sink.acceptedNanos().size();
        System.out.println(
            load.figures(figures, sink)
                + ", delivered_before_kill="
                + deliveredAtKill
                + ", requests_failed_by_kill_spans="
                + load.failed.get()
                + ", requests_accepted_by_backend="
                + requests);
        assertThat(sink.missing(load.acknowledged)).isZero();
        assertThat(deliveredAtKill)
            .as("the kill left a backlog on disk")
            .isLessThan(load.acknowledged.size());
        second.process.destroy();
        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).as(second.stderr()).isZero();
        return requests;
      } finally {
        second.process.destroyForcibly();
      }
    }
  }

  @Test
  void tenTimesOverload_answers503StaysUnderItsHeapAndRecovers() throws Exception {
    // The backend takes 2 batches at a time, 1 s each: 2 batches/s. The load offers 10 times that
    // or
    // more (printed), 32 requests in flight, ~105 KB each. Without batching, so that a batch is a
    // request (merged, 2 batches/s would carry far more).
    try (FaultSink sink = new FaultSink(0, Duration.ofSeconds(1))) {
      final String[] exporter = {
        "endpoint: " + sink.url(),
        "sending_queue: { queue_size: 100000, num_consumers: 2, batch: { enabled: false } }"
      };
      final int http = ports.next();
      final int admin = ports.next();
      final Services.OwnProcess service =
          new Services.OwnProcess(
              dir,
              "overload",
              withMemoryLimit(config(http, admin, exporter).service("shutdown_timeout: 1s")).yaml(),
              OVERLOAD_JVM,
              admin);
      try (Load load = new Load("http://127.0.0.1:" + http + "/v1/traces")) {
        service.awaitReady();
        final Semaphore inFlight = new Semaphore(32);
        final long start = System.nanoTime();
        long requests = 0;
        double maxHeapUsed = 0;
        // At least OVERLOAD long, and until the service has refused at least once, however slow the
        // machine.
        while (System.nanoTime() - start < OVERLOAD.toNanos()
            || load.unavailable.get() == 0 && System.nanoTime() - start < OVERLOAD_CAP.toNanos()) {
          inFlight.acquire();
          load.send(100, 1000).whenComplete((s, e) -> inFlight.release());
          requests++;
          if (requests % 100 == 0) {
            maxHeapUsed = Math.max(maxHeapUsed, heapUsed(service.metrics()));
          }
          Services.sleep(Duration.ofMillis(5));
        }
        inFlight.acquire(32);
        inFlight.release(32);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long refusedDuringOverload = load.unavailable.get();
        assertThat(service.process.isAlive())
            .as("alive after the overload; stderr: " + service.stderr())
            .isTrue();

        // Load drops to one request every 200 ms: accepted again once the backlog is under the
        // limit.
        final long recoveryStart = System.nanoTime();
        await(
            Duration.ofSeconds(60),
            () -> {
              final int status = load.send(10, 100).join();
              Services.sleep(Duration.ofMillis(200));
              return status == 200;
            },
            "a 200 after the load dropped");
        final long recoveryMillis = (System.nanoTime() - recoveryStart) / 1_000_000;
        final String metrics = service.metrics();
        maxHeapUsed = Math.max(maxHeapUsed, heapUsed(metrics));
        System.out.println(
            load.figures("10x overload, -Xmx128m", sink)
                + String.format(
                    ", offered_requests_per_s=%.0f, backend_capacity_requests_per_s=2, refused_503_requests=%d,"
                        + " max_heap_used_mib=%.0f, memory_limit_bytes=%s, recovered_after_ms=%d",
                    requests / seconds,
                    refusedDuringOverload,
                    maxHeapUsed / (1 << 20),
                    gauge(metrics, "genai_normalizer_memory_limit_bytes"),
                    recoveryMillis));
        assertThat(refusedDuringOverload).as("503s during the overload").isPositive();
        assertThat(load.otherStatus.get()).as("no answer other than 200 or 503").isZero();

        service.process.destroy(); // SIGTERM: what is still queued in memory is reported as dropped
        assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.process.exitValue())
            .as("exit code (3 would be an OOM); stderr: " + service.stderr())
            .isZero();
        assertThat(service.stderr()).doesNotContain("OutOfMemoryError");
        final Matcher m =
            Pattern.compile("stopped in [0-9.]+ s: (\\d+) spans dropped \\(not sent\\)")
                .matcher(service.stderr());
        final long reportedDropped = m.find() ? Long.parseLong(m.group(1)) : 0;
        System.out.println(
            "10x overload shutdown: acknowledged="
                + load.acknowledged.size()
                + ", delivered="
                + sink.delivered()
                + ", reported_dropped="
                + reportedDropped
                + ", duplicates="
                + sink.duplicates());
        assertThat(sink.duplicates()).isZero();
        // Exact but for the batches being sent at the deadline (num_consumers x 100 spans): the
        // service
        // gives them up and counts them, and the backend may still have processed them.
        final long lost = load.acknowledged.size() - sink.delivered();
        assertThat(reportedDropped)
            .as("spans reported dropped at shutdown vs acknowledged - delivered")
            .isBetween(lost, lost + 2 * 100);
      } finally {
        service.process.destroyForcibly();
      }
    }
  }

  @Test
  void aDiskQueueThatCannotBeOpenedStopsStartUpWithItsReasonAndExitCodeOne() throws Exception {
    final Path notADirectory = java.nio.file.Files.writeString(dir.resolve("plain-file"), "x");
    final String[] exporter = {
      "endpoint: http://127.0.0.1:1",
      "sending_queue: { storage: disk, directory: " + notADirectory + " }"
    };
    final int admin = ports.next();
    final Services.OwnProcess service =
        new Services.OwnProcess(
            dir,
            "bad-queue",
            config(ports.next(), admin, exporter).service("shutdown_timeout: 1s").yaml(),
            JVM,
            admin);
    try {
      assertThat(service.process.waitFor(ChildJvm.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .isTrue();
      assertThat(service.process.exitValue()).isEqualTo(1);
      assertThat(service.stderr())
          .contains("failed to start")
          .contains("sending_queue.directory: " + notADirectory);
    } finally {
      service.process.destroyForcibly();
    }
  }

  static double heapUsed(String metrics) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static String gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return "?";
  }
}
