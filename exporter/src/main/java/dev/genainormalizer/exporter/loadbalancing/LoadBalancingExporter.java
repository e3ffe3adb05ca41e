package dev.genainormalizer.exporter.loadbalancing;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.exporter.AttemptListener;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.PermanentExportException;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporterBuilder;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.TraceBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code loadbalancing}: splits each batch by trace id and hands every part to the child exporter
 * (OTLP/gRPC sender behind the shared queue and retry) of the endpoint that owns the trace on a
 * {@link HashRing}. The ring follows the resolver, re-resolved every interval on one thread of its
 * own.
 *
 * <p>Re-routing: this layer remembers every part a child accepted until that child's backend
 * acknowledged it (or gave up on it for good). When an endpoint leaves the ring, its child stops
 * sending (its sender fails what is still queued as permanent, which drains the queue at once), is
 * shut down, and everything still unacknowledged is exported again through the new ring. Delivery
 * is at-least-once: a batch in flight when its endpoint left may arrive twice.
 *
 * <p>To the app it is one exporter: every child reports its send attempts to this exporter's {@link
 * AttemptListener}, and the children's meters make up this exporter's figures ({@link
 * #meteredUnder}).
 */
final class LoadBalancingExporter implements TraceExporter {
  private static final Logger logger = LoggerFactory.getLogger(LoadBalancingExporter.class);

  /** How long a retired child may keep sending what is in flight before its parts are re-routed. */
  static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(2);

  private final ExporterSettings settings;
  private final RetryConfig retry;
  private final QueueConfig queue;
  private final Function<String, TraceSender> senders;
  private final UnaryOperator<TraceBatch> mapping;
  private final String resolverDescription;
  private final Membership membership;
  private final Duration interval;
  private final boolean dynamic;
  private final LoadBalancingTelemetry telemetry;
  private final ThrottledLogger droppedLog;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Child> children = new ConcurrentHashMap<>();
  // every child's id so far: a retired child's counters keep what it sent, and a backend that
  // returns gets its old id (and counters) back
  private final Set<String> childIds = ConcurrentHashMap.newKeySet();
  private volatile AttemptListener listener = AttemptListener.NONE;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile HashRing ring = new HashRing(List.of());

  /**
   * @param senders the transport to one endpoint ({@code host:port}): sends each batch as given
   * @param mapping what every backend's batch goes through before its transport: the one profile
   *     the backends share
   */
  LoadBalancingExporter(
      ExporterSettings settings,
      EndpointResolver resolver,
      Duration interval,
      RetryConfig retry,
      QueueConfig queue,
      Function<String, TraceSender> senders,
      UnaryOperator<TraceBatch> mapping) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.senders = Objects.requireNonNull(senders, "senders");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.resolverDescription = resolver.toString();
    this.interval = Objects.requireNonNull(interval, "interval");
    this.dynamic = resolver.dynamic();
    this.telemetry =
        new LoadBalancingTelemetry(
            settings.meterRegistry(), settings.id().toString(), () -> ring.endpoints().size());
    this.droppedLog =
        new ThrottledLogger(
            logger, settings.clock(), QueuedRetryingExporterBuilder.DEFAULT_LOG_INTERVAL);
    this.membership =
        new Membership(resolver, settings.clock(), interval, telemetry.resolveFailures::increment);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "loadbalancing-resolver-" + settings.id());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start() {
    if (closing.get() || !started.compareAndSet(false, true)) {
      return;
    }
    try {
      scheduler.submit(this::refresh).get();
    } catch (Exception e) {
      throw new IllegalStateException(
          "exporter " + settings.id() + ": first resolution failed: " + e, e);
    }
    if (dynamic) {
      final long nanos = interval.toNanos();
      scheduler.scheduleWithFixedDelay(this::refresh, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Resolves again when due and moves the ring; on the resolver thread only. */
  void refresh() {
    if (closing.get()) {
      return;
    }
    final List<String> next;
    try {
      next = membership.refreshIfDue();
    } catch (RuntimeException e) {
      logger.warn("exporter {}: refreshing the endpoints failed", settings.id(), e);
      return;
    }
    if (next != null) {
      apply(next);
    }
  }

  private synchronized void apply(List<String> endpoints) {
    for (String endpoint : endpoints) {
      children.computeIfAbsent(endpoint, this::newChild);
    }
    ring = new HashRing(endpoints);
    final List<Child> gone = new ArrayList<>();
    children
        .values()
        .removeIf(
            c -> {
              if (endpoints.contains(c.endpoint)) {
                return false;
              }
              gone.add(c);
              return true;
            });
    gone.forEach(this::retire);
  }

  private Child newChild(String endpoint) {
    final Child child = new Child(endpoint);
    final ComponentId id =
        new ComponentId(
            settings.id().type(),
            (settings.id().name().isEmpty() ? "" : settings.id().name() + "-")
                + endpoint.replaceAll("[^A-Za-z0-9_.-]", "_"));
    child.exporter =
        QueuedRetryingExporter.builder()
            .settings(settings)
            .id(id)
            .sender(new TrackingSender(child, mapping, senders.apply(endpoint)))
            .retry(retry)
            .queue(queue)
            // delivered, or given up for good: nothing to re-route (but what failed because the
            // endpoint left)
            .deliveryListener(
                (batch, error) -> {
                  if (error != child.leftTheRing) {
                    child.untrack(batch);
                  }
                })
            .description("otlp " + endpoint + " (loadbalancing " + settings.id() + ")")
            .build();
    // through the field, so a listener set later reaches the children built before
    child.exporter.attemptListener((batch, error) -> listener.attemptDone(batch, error));
    childIds.add(id.toString());
    child.exporter.start();
    return child;
  }

  private void retire(Child child) {
    child.retired = true;
    child
        .exporter
        .shutdown(RETIRE_TIMEOUT)
        .whenComplete(
            (dropped, error) -> {
              final List<TraceBatch> unacked = child.drain();
              long spans = 0;
              for (TraceBatch b : unacked) {
                spans += b.spanCount();
              }
              logger.info(
                  "exporter {}: endpoint {} left the ring; re-routing {} unacknowledged spans",
                  settings.id(),
                  child.endpoint,
                  spans);
              for (TraceBatch b : unacked) {
                telemetry.reroutedSpans.increment(b.spanCount());
                export(b);
              }
            });
  }

  /** Names the exporter, where its backends come from, and the backends on the ring now. */
  @Override
  public String description() {
    final List<String> now = ring.endpoints();
    return "loadbalancing by trace id over "
        + resolverDescription
        + ": "
        + (now.isEmpty() ? "no backend resolved yet" : "backends " + now)
        + ", each OTLP/gRPC";
  }

  /**
   * The part of {@code batch} one backend would get, mapped as every backend maps it. Which backend
   * gets which trace is only known while running, so the {@code map} dry run shows what this
   * exporter forwards, not how it is split.
   */
  @Override
  public TraceBatch asSent(TraceBatch batch) {
    return mapping.apply(batch);
  }

  /** Every backend's attempts are reported to {@code listener}, as this exporter's. */
  @Override
  public void attemptListener(AttemptListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The ids of the per-backend exporters, current and retired. */
  @Override
  public Set<String> meteredUnder() {
    final Set<String> ids = new HashSet<>(childIds);
    ids.add(settings.id().toString()); // its own enqueue_failed count
    return Set.copyOf(ids);
  }

  @Override
  public boolean export(TraceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return true;
    }
    final HashRing current = ring;
    if (closing.get() || current.isEmpty()) {
      telemetry.enqueueFailedSpans.increment(batch.spanCount());
      final long suppressed = droppedLog.tryLog();
      if (suppressed >= 0) {
        logger.warn(
            "exporter {}: dropped {} spans: {}{}",
            settings.id(),
            batch.spanCount(),
            closing.get() ? "the exporter is shut down" : "no endpoints",
            ThrottledLogger.suppressedNote(suppressed));
      }
      return false;
    }
    boolean all = true;
    for (Map.Entry<String, TraceBatch> part :
        TraceSplitter.split(batch, current::endpointFor).entrySet()) {
      all &= exportTo(part.getKey(), part.getValue());
    }
    return all;
  }

  /** A request may go to any endpoint, so any child that would refuse it refuses it. */
  @Override
  public Optional<String> refusal(long bytes) {
    for (Child child : children.values()) {
      final QueuedRetryingExporter exporter = child.exporter;
      if (exporter != null && !child.retired) {
        final Optional<String> refusal = exporter.refusal(bytes);
        if (refusal.isPresent()) {
          return refusal;
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean refusesWhenFull() {
    return queue.refusesWhenFull();
  }

  @Override
  public Optional<QueueConfig> diskQueue() {
    return queue.isDisk() ? Optional.of(queue) : Optional.empty();
  }

  private boolean exportTo(String endpoint, TraceBatch part) {
    final Child child = children.get(endpoint);
    if (child == null || child.retired) {
      // the ring moved since we split: route again on the new one
      return !closing.get() && export(part);
    }
    child.track(part);
    if (child.exporter.export(part)) {
      return true;
    }
    // refused: full queue (the child counted the drop), or retired meanwhile (route again)
    if (child.untrack(part) && child.retired && !closing.get()) {
      return export(part);
    }
    return false;
  }

  @Override
  public CompletableFuture<Long> shutdown(Duration timeout) {
    if (!closing.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(0L);
    }
    scheduler.shutdownNow();
    final List<CompletableFuture<Long>> all = new ArrayList<>();
    for (Child c : children.values()) {
      all.add(c.exporter.shutdown(timeout));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> all.stream().mapToLong(CompletableFuture::join).sum());
  }

  @Override
  public long spansLeftForNextRun() {
    long left = 0;
    for (Child c : children.values()) {
      left += c.exporter.spansLeftForNextRun();
    }
    return left;
  }

  /** The ring now, for tests. */
  HashRing ring() {
    return ring;
  }

  @Override
  public String toString() {
    return "LoadBalancingExporter{id=" + settings.id() + ", endpoints=" + ring.endpoints() + '}';
  }

  /** One backend: its exporter and the parts it took that its backend has not acknowledged. */
  private static final class Child {
    final String endpoint;
    // what sends fail with once the endpoint left the ring: those parts are re-routed
    final PermanentExportException leftTheRing;
    volatile QueuedRetryingExporter exporter;
    volatile boolean retired;
    // by value: a disk queue hands the sender an equal copy, not the same object
    private final Map<TraceBatch, Integer> unacked = new HashMap<>();

    Child(String endpoint) {
      this.endpoint = endpoint;
      this.leftTheRing =
          new PermanentExportException(
              "endpoint " + endpoint + " left the ring; the batch is re-routed");
    }

    synchronized void track(TraceBatch b) {
      unacked.merge(b, 1, Integer::sum);
    }

    synchronized boolean untrack(TraceBatch b) {
      final Integer n = unacked.get(b);
      if (n == null) {
        return false;
      }
      if (n == 1) {
        unacked.remove(b);
      } else {
        unacked.put(b, n - 1);
      }
      return true;
    }

    synchronized List<TraceBatch> drain() {
      final List<TraceBatch> out = new ArrayList<>();
      unacked.forEach(
          (b, n) -> {
            for (int i = 0; i < n; i++) {
              out.add(b);
            }
          });
      unacked.clear();
      return out;
    }
  }

  /**
   * Once the endpoint left the ring, fails what is left so the queue drains (and the parts are
   * re-routed).
   */
  private static final class TrackingSender implements TraceSender {
    private final Child child;
    private final UnaryOperator<TraceBatch> mapping;
    private final TraceSender delegate;

    TrackingSender(Child child, UnaryOperator<TraceBatch> mapping, TraceSender delegate) {
      this.child = child;
      this.mapping = mapping;
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> send(TraceBatch batch) {
      if (child.retired) {
        return CompletableFuture.failedFuture(child.leftTheRing);
      }
      final TraceBatch mapped;
      try {
        mapped = mapping.apply(batch);
      } catch (RuntimeException e) {
        // retrying the same batch through the same mapping cannot help
        return CompletableFuture.failedFuture(
            new PermanentExportException(
                "mapping a batch of " + batch.spanCount() + " spans failed: " + e, e));
      }
      return delegate.send(mapped);
    }

    @Override
    public TraceBatch asSent(TraceBatch batch) {
      return mapping.apply(batch);
    }

    @Override
    public long maxRequestBytes() {
      return delegate.maxRequestBytes();
    }

    @Override
    public void start() {
      delegate.start();
    }

    @Override
    public void close() {
      try {
        delegate.close();
      } catch (Exception e) {
        logger.debug("closing the sender of {} failed", child.endpoint, e);
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
