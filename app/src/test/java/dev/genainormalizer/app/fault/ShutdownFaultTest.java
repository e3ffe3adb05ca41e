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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while requests are in flight and a slow backend has a backlog queued: the service refuses
 * new requests at once, releases the spans the {@code kong} processor holds, drains until {@code
 * service.shutdown_timeout} after the signal, exits, and logs counts that add up. Prints what it
 * measured. {@code -Dfault.shutdownTimeoutSeconds=N} sets the timeout (default 5).
 */
@Tag("solo") // bounds the time from SIGTERM to exit: runs after the other classes, alone
// (app/pom.xml)
class ShutdownFaultTest {
  /**
   * {@code service.shutdown_timeout}; {@code -Dfault.shutdownTimeoutSeconds=10} runs the default.
   */
  private static final Duration SHUTDOWN_TIMEOUT =
      Duration.ofSeconds(Long.getLong("fault.shutdownTimeoutSeconds", 5));

  /**
   * What the contract allows past shutdown_timeout for the JVM to exit: a bound, not a speed
   * target.
   */
  private static final Duration EXIT_MARGIN = Duration.ofSeconds(3);

  private static final ChildJvm JVM = ChildJvm.withHeap("256m").quickStart();
  private static final Duration BACKEND_DELAY = Duration.ofMillis(300);
  private static final int IN_FLIGHT = 8;
  private static final int SPANS_PER_REQUEST = 10;
  private static final int CONSUMERS = 2;

  /** Twice what the backend can take before the deadline, so a backlog is surely left at it. */
  private static final long BACKLOG_SPANS =
      2 * CONSUMERS * SPANS_PER_REQUEST * SHUTDOWN_TIMEOUT.toMillis() / BACKEND_DELAY.toMillis();

  /**
   * Without batching, so that a batch is a request and {@link #BACKLOG_SPANS} holds (merged, the
   * backend's 2 requests per 300 ms would carry the whole backlog before the deadline).
   */
  private static final String UNBATCHED = "batch: { enabled: false }";

  private static final Pattern EXPORTER_LINE = Pattern.compile("exporter otlphttp stopped: (.*)");
  private static final Pattern FINAL_LINE =
      Pattern.compile("genai-normalizer stopped in [0-9.]+ s: (.*)");

  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private String config(int http, int admin, String... exporter) {
    return TestConfig.builder()
        .http("127.0.0.1:" + http)
        .admin("127.0.0.1:" + admin)
        .processor(
            "kong", "trace_wait: 10m") // holds the orphaned spans until the stop releases them
        .exporter("otlphttp", exporter)
        .service("shutdown_timeout: " + SHUTDOWN_TIMEOUT.toSeconds() + "s")
        .yaml();
  }

  @Test
  void sigtermWithAMemoryQueue_refusesAtOnceExitsWithinTheTimeoutAndReportsWhatItDropped()
      throws Exception {
    try (FaultSink sink = new FaultSink(0, BACKEND_DELAY)) {
      final int http = ports.next();
      final int admin = ports.next();
      final Services.OwnProcess service =
          new Services.OwnProcess(
              dir,
              "memory",
              config(
                  http,
                  admin,
                  "endpoint: " + sink.url(),
                  "sending_queue: { queue_size: 100000, num_consumers: "
                      + CONSUMERS
                      + ", "
                      + UNBATCHED
                      + " }"),
              JVM,
              admin);
      try (Load load = new Load("http://127.0.0.1:" + http + "/v1/traces")) {
        final Stop stop = sigtermUnderLoad(service, load, sink);
        final String log = service.stderr();
        final long lost = load.acknowledged.size() - sink.delivered();
        final long dropped = count(log, "(\\d+) spans dropped \\(not sent\\)");
        final long cutOff = count(log, "(\\d+) of them were being sent at the deadline");
        System.out.println(
            load.figures("SIGTERM, memory queue, backend 300 ms", sink)
                + stop
                + ", reported_dropped="
                + dropped
                + ", reported_cut_off="
                + cutOff);
        assertThat(lost)
            .as("a backlog was left at the deadline (else the test shows nothing)")
            .isPositive();
        assertThat(line(log, EXPORTER_LINE)).contains(dropped + " spans dropped (not sent)");
        assertThat(lost)
            .as(
                "acknowledged − delivered vs the spans reported dropped (%s of them cut off mid-send)",
                cutOff)
            .isBetween(dropped - cutOff, dropped);
        assertThat(line(log, FINAL_LINE))
            .contains(dropped + " spans dropped (not sent)")
            .doesNotContain("every queued span was sent");
        assertThat(sink.duplicates()).isZero();
      } finally {
        service.process.destroyForcibly();
      }
    }
  }

  @Test
  void sigtermWithADiskQueue_leavesTheBacklogOnDiskSaysSoAndTheNextRunSendsIt() throws Exception {
    try (FaultSink sink = new FaultSink(0, BACKEND_DELAY)) {
      final String[] exporter = {
        "endpoint: " + sink.url(),
        "sending_queue: { storage: disk, directory: '"
            + dir.resolve("queue")
            + "', num_consumers: "
            + CONSUMERS
            + ","
            + " fsync: batch, "
            + UNBATCHED
            + " }"
      };
      final int http = ports.next();
      final int admin = ports.next();
      final Services.OwnProcess first =
          new Services.OwnProcess(dir, "disk-first", config(http, admin, exporter), JVM, admin);
      final long left;
      final long cutOff;
      try (Load load = new Load("http://127.0.0.1:" + http + "/v1/traces")) {
        final Stop stop = sigtermUnderLoad(first, load, sink);
        final String log = first.stderr();
        final long lost = load.acknowledged.size() - sink.delivered();
        left = count(log, "(\\d+) spans left in the disk queue for the next run");
        cutOff = count(log, "(\\d+) of them were being sent at the deadline");
        System.out.println(
            load.figures("SIGTERM, disk queue, backend 300 ms", sink)
                + stop
                + ", reported_left_on_disk="
                + left
                + ", reported_cut_off="
                + cutOff);
        assertThat(lost)
            .as("a backlog was left at the deadline (else the test shows nothing)")
            .isPositive();
        assertThat(line(log, EXPORTER_LINE))
            .contains(left + " spans left in the disk queue for the next run");
        assertThat(lost)
            .as(
                "acknowledged − delivered vs the spans reported left on disk (%s of them cut off"
                    + " mid-send)",
                cutOff)
            .isBetween(left - cutOff, left);
        assertThat(line(log, FINAL_LINE))
            .contains(left + " spans left in disk queues for the next run")
            .doesNotContain("every queued span was sent");

        sink.delay(Duration.ZERO);
        final int http2 = ports.next();
        final int admin2 = ports.next();
        final Services.OwnProcess second =
            new Services.OwnProcess(
                dir, "disk-second", config(http2, admin2, exporter), JVM, admin2);
        try {
          second.awaitReady();
          await(
              Duration.ofSeconds(60),
              () -> sink.hasAll(load.acknowledged),
              "every acknowledged span at the backend after the restart");
          final long signalled = System.nanoTime();
          second.process.destroy(); // nothing queued now
          assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
          final long idleExitMillis = (System.nanoTime() - signalled) / 1_000_000;
          assertThat(second.process.exitValue()).as(second.stderr()).isZero();
          System.out.println(
              "restart after SIGTERM, disk queue: delivered="
                  + sink.delivered()
                  + ", duplicates="
                  + sink.duplicates()
                  + ", exit_after_sigterm_with_nothing_queued_ms="
                  + idleExitMillis);
          assertThat(sink.duplicates())
              .as("only what was cut off mid-send is sent twice")
              .isLessThanOrEqualTo(cutOff);
          assertThat(line(second.stderr(), FINAL_LINE)).isEqualTo("every queued span was sent");
        } finally {
          second.process.destroyForcibly();
        }
      } finally {
        first.process.destroyForcibly();
      }
    }
  }

  /** What the stop looked like from the clients' side. */
  private record Stop(
      long exitMillis,
      long requestsAfterStopping,
      long acceptedAfterStopping,
      long maxAnswerMillis) {
    @Override
    public String toString() {
      return ", exit_after_sigterm_ms="
          + exitMillis
          + ", requests_after_stopping="
          + requestsAfterStopping
          + ", accepted_after_stopping="
          + acceptedAfterStopping
          + ", max_answer_after_stopping_ms="
          + maxAnswerMillis;
    }
  }

  /**
   * Builds a backlog of {@link #BACKLOG_SPANS} with {@link #IN_FLIGHT} requests in flight (every
   * tenth one's spans held by the {@code kong} processor), sends SIGTERM and keeps sending until
   * the process is gone; checks that no request sent after the "stopping" line was accepted and
   * that the process exited 0 within shutdown_timeout + {@link #EXIT_MARGIN}.
   */
  private Stop sigtermUnderLoad(Services.OwnProcess service, Load load, FaultSink sink)
      throws Exception {
    service.awaitReady();
    final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    final long loadStart = System.nanoTime();
    for (long n = 0; load.ok.get() - sink.delivered() < BACKLOG_SPANS; n++) {
      assertThat(System.nanoTime() - loadStart)
          .as("ns to build a backlog of %s spans", BACKLOG_SPANS)
          .isLessThan(Duration.ofSeconds(60).toNanos());
      inFlight.acquire();
      (n % 10 == 0 ? load.sendOrphans(SPANS_PER_REQUEST, 128) : load.send(SPANS_PER_REQUEST, 128))
          .whenComplete((s, e) -> inFlight.release());
    }
    final long signalled = System.nanoTime();
    service.process.destroy(); // SIGTERM, requests still in flight

    final AtomicLong afterStopping = new AtomicLong();
    final AtomicLong acceptedAfterStopping = new AtomicLong();
    final AtomicLong maxRefusalNanos = new AtomicLong();
    boolean stopping = false;
    long lastLogCheck = 0;
    while (service.process.isAlive()
        && System.nanoTime() - signalled < Duration.ofSeconds(60).toNanos()) {
      if (!stopping && System.nanoTime() - lastLogCheck > 20_000_000L) {
        lastLogCheck = System.nanoTime();
        stopping = service.stderr().contains("genai-normalizer stopping");
      }
      final boolean sentAfterStopping = stopping;
      inFlight.acquire();
      final long sentAt = System.nanoTime();
      load.send(SPANS_PER_REQUEST, 128)
          .whenComplete(
              (status, e) -> {
                if (sentAfterStopping) {
                  afterStopping.incrementAndGet();
                  maxRefusalNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                  if (status == 200) {
                    acceptedAfterStopping.incrementAndGet();
                  }
                }
                inFlight.release();
              });
      Services.sleep(Duration.ofMillis(10));
    }
    final long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
    assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    inFlight.acquire(IN_FLIGHT); // every request has its answer (or its transport error)
    final Stop stop =
        new Stop(
            exitMillis,
            afterStopping.get(),
            acceptedAfterStopping.get(),
            maxRefusalNanos.get() / 1_000_000);
    System.out.println(
        "SIGTERM under load"
            + stop
            + "; the service's log from the signal:\n"
            + service
                .stderr()
                .substring(
                    Math.max(0, service.stderr().indexOf("genai-normalizer stopping") - 100)));
    assertThat(service.process.exitValue()).as("exit code; stderr: " + service.stderr()).isZero();
    assertThat(stopping).as("the 'stopping' line was logged").isTrue();
    assertThat(afterStopping.get()).as("requests sent after the 'stopping' line").isPositive();
    assertThat(acceptedAfterStopping.get())
        .as("requests sent after the 'stopping' line and answered 200")
        .isZero();
    assertThat(load.otherStatus.get()).as("answers other than 200 and 503").isZero();
    assertThat(exitMillis)
        .as("ms from SIGTERM to exit, with shutdown_timeout %s", SHUTDOWN_TIMEOUT)
        .isLessThan(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN).toMillis());
    return stop;
  }

  /** The text after the match of {@code pattern}'s prefix on the last line it matches. */
  private static String line(String log, Pattern pattern) {
    String found = null;
    for (String l : log.split("\n")) {
      final Matcher m = pattern.matcher(l);
      if (m.find()) {
        found = m.group(1).strip();
      }
    }
    assertThat(found).as("a line matching '%s' in:\n%s", pattern, log).isNotNull();
    return found;
  }

  /** The number {@code regex}'s group 1 captures on the last line it matches; 0 when none does. */
  private static long count(String log, String regex) {
    long n = 0;
    final Matcher m = Pattern.compile(regex).matcher(log);
    while (m.find()) {
      n = Long.parseLong(m.group(1));
    }
    return n;
  }
}
