package dev.genainormalizer.app;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.receiver.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a stop, in order, against one deadline: refuse new requests at once and let those
 * already let in finish; release the spans processors hold into the exporters' queues; let every
 * exporter drain until the deadline; then close the admin port and wait, no later than the
 * deadline, for it and the receivers to be closed. Each stage gets what the ones before left of the
 * deadline.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private final IntakeGate gate;
  private final Map<ComponentId, Receiver> receivers;
  private final ExecutorService ticker;
  private final List<Pipeline> pipelines;
  private final Map<ComponentId, TraceExporter> exporters;
  private final Supplier<CompletableFuture<Void>> closeAdmin;

  /**
   * @param ticker the timer that releases held spans during normal operation; shut down before the
   *     stop releases them all
   * @param closeAdmin closes the admin port, which answers {@code /readyz} (503) and {@code
   *     /metrics} until the drain is over
   */
  Shutdown(
      IntakeGate gate,
      Map<ComponentId, Receiver> receivers,
      ExecutorService ticker,
      List<Pipeline> pipelines,
      Map<ComponentId, TraceExporter> exporters,
      Supplier<CompletableFuture<Void>> closeAdmin) {
    this.gate = gate;
    this.receivers = new LinkedHashMap<>(receivers);
    this.ticker = ticker;
    this.pipelines = List.copyOf(pipelines);
    this.exporters = new LinkedHashMap<>(exporters);
    this.closeAdmin = closeAdmin;
  }

  StopReport run(ShutdownDeadline deadline) {
    gate.close();
    log.info(
        "genai-normalizer stopping: new requests are refused; queues drain until shutdown_timeout {} after"
            + " the signal ({} left)",
        seconds(deadline.timeout()),
        seconds(deadline.remaining()));
    final Map<String, CompletableFuture<Void>> closing = new LinkedHashMap<>();
    receivers.forEach((id, receiver) -> closing.put("receiver " + id, begun(receiver::stop)));
    if (!gate.awaitEmpty(deadline)) {
      log.warn("genai-normalizer stopping: requests still being processed at the deadline");
    }
    final long heldNotQueued = releaseHeldSpans(deadline);
    final StopReport report = drainExporters(deadline, heldNotQueued);
    closing.put("the admin port", begun(closeAdmin));
    awaitClosed(closing, deadline);
    return report;
  }

  /**
   * Stops the ticker and releases every held span into the exporters; returns the spans not queued.
   */
  private long releaseHeldSpans(ShutdownDeadline deadline) {
    ticker.shutdown();
    try {
      if (!ticker.awaitTermination(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn(
            "genai-normalizer stopping: a release of held spans was still running at the deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long notQueued = 0;
    for (Pipeline pipeline : pipelines) {
      notQueued += pipeline.drain().notQueuedSpans();
    }
    return notQueued;
  }

  private StopReport drainExporters(ShutdownDeadline deadline, long heldNotQueued) {
    final Map<ComponentId, CompletableFuture<Long>> drains = new LinkedHashMap<>();
    final Duration left = deadline.remaining();
    exporters.forEach((id, exporter) -> drains.put(id, begun(() -> exporter.shutdown(left))));
    long dropped = 0;
    long onDisk = 0;
    final List<String> unfinished = new ArrayList<>();
    for (Map.Entry<ComponentId, CompletableFuture<Long>> drain : drains.entrySet()) {
      final ComponentId id = drain.getKey();
      try {
        // Each exporter gives up at the deadline itself; the grace covers closing its client.
        dropped += drain.getValue().get(deadline.remainingGrace().toNanos(), TimeUnit.NANOSECONDS);
        onDisk += exporters.get(id).spansLeftForNextRun();
      } catch (TimeoutException e) {
        log.warn(
            "exporter {} had not stopped by the deadline; what it still holds is not counted", id);
        unfinished.add(id.toString());
      } catch (ExecutionException e) {
        log.warn(
            "exporter {} failed to stop; what it still holds is not counted", id, e.getCause());
        unfinished.add(id.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unfinished.add(id.toString());
      }
    }
    return new StopReport(dropped, onDisk, heldNotQueued, unfinished);
  }

  /**
   * Waits, until the deadline and not past it, for the servers to be closed. Nothing depends on it:
   * receivers refuse everything since the gate closed (their listeners close within a second of the
   * signal; Armeria takes 2 s more to release its threads), and the process exit closes the rest.
   */
  private static void awaitClosed(
      Map<String, CompletableFuture<Void>> closing, ShutdownDeadline deadline) {
    closing.forEach(
        (what, closed) -> {
          try {
            closed.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            log.debug("{} was still closing at the deadline", what);
          } catch (ExecutionException e) {
            log.warn("{}: closing failed", what, e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /**
   * What {@code step} returns, or its exception as a failed future: one part failing stops no
   * other.
   */
  private static <T> CompletableFuture<T> begun(Supplier<CompletableFuture<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
