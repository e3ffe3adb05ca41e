package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import dev.genainormalizer.exporter.testing.TestCollector.Received;
import dev.genainormalizer.exporter.testing.Wire;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every exporter must do, run against a real in-process backend (J8 / §4.7). A subclass builds
 * its exporter from YAML text through its factory, as the service does ({@link ExporterOptions}
 * rendered by {@code OptionsYaml}), and declares what it can do; the tests here are inherited.
 *
 * <p>Capabilities: an exporter that talks to a server ({@link #supportsRemoteBackend()}) starts the
 * backend as a static {@code ServerExtension} feeding {@link #collector()} and gets every test; one
 * that writes locally (debug, file) shows what it wrote through {@link #delivered()} and the tests
 * about a server's answers are skipped by assumption, visibly, never passed vacuously. The same
 * goes for {@link #supportsSendingQueueConfig()} and {@link #supportsCustomHeaders()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractExporterContractTest {
  protected static final String SECRET = "s3cr3t-token-value";
  protected static final TraceBatch CHAT = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
  protected static final TraceBatch UPSTREAM_500 =
      TraceBatch.of(TestTraces.fixture("kong-3.13-upstream-500.json"));

  /**
   * Quick retries, given up after 2 s: room for several attempts even when a busy machine makes the
   * first one (a fresh connection) slow, which 300 ms was not.
   */
  private static final RetryConfig GIVE_UP_AFTER_A_FEW_ATTEMPTS =
      new RetryConfig(
          true, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), 1.5, 0);

  private static final String NO_SERVER = "the exporter writes locally: no server answers it";
  private static final String NO_QUEUE_CONFIG = "the exporter's YAML has no sending_queue";
  private static final String NO_HEADERS = "the exporter's YAML has no headers";

  private final List<TraceExporter> exporters = new ArrayList<>();
  protected SimpleMeterRegistry registry;
  protected MemoryBudget budget;
  protected ExporterSettings settings;

  protected abstract String componentType();

  /** Creates the exporter through its factory, from YAML text, as the app does. */
  protected abstract TraceExporter create(ExporterOptions options, ExporterSettings settings);

  /**
   * Whether the exporter sends to a server that can fail, throttle or hang: retries, permanent
   * errors, timeouts, compression and a held backend are tested only then.
   */
  protected abstract boolean supportsRemoteBackend();

  /** Whether its YAML takes {@code sending_queue} (size, consumers, {@code batch}). */
  protected boolean supportsSendingQueueConfig() {
    return true;
  }

  /** Whether its YAML takes free-form {@code headers}. */
  protected boolean supportsCustomHeaders() {
    return true;
  }

  /** Whether {@code toString()} lists the configured header names (values redacted). */
  protected boolean describesHeaders() {
    return true;
  }

  /**
   * What of a request the backend must get as it was exported: the whole request (the default), or
   * for an exporter that maps or prints spans, something narrower such as {@link #spanIds}.
   */
  protected Object content(ExportTraceServiceRequest request) {
    return request;
  }

  /** Every request the backend got so far, in arrival order. */
  protected List<ExportTraceServiceRequest> delivered() {
    return collector().received().stream().map(Received::request).toList();
  }

  /** Clears what the backend got, before and after each test. */
  protected void resetBackend() {
    collector().reset();
  }

  /**
   * Whether a meter tagged {@code exporter=tag} is this exporter's; an exporter that runs one queue
   * per backend (loadbalancing) tags each with an id of its own.
   */
  protected boolean ownsMeter(String tag) {
    return tag.equals(settings.id().toString());
  }

  // What a subclass with a remote backend provides.

  /** The backend's shared state. */
  protected TestCollector collector() {
    throw noServer("collector()");
  }

  /** The backend's endpoint as a user writes it in YAML. */
  protected String endpoint() {
    return "";
  }

  /** The protocol the backend speaks. */
  protected Wire wire() {
    throw noServer("wire()");
  }

  /** The path the backend serves, which every request must reach. */
  protected String expectedPath() {
    return wire().defaultPath();
  }

  /** Headers every request must carry, such as a vendor's credentials. */
  protected Map<String, String> expectedHeaders() {
    return Map.of();
  }

  private UnsupportedOperationException noServer(String hook) {
    return new UnsupportedOperationException(
        getClass().getSimpleName()
            + " declares no remote backend; "
            + hook
            + " must be overridden by a subclass whose supportsRemoteBackend() is true");
  }

  /**
   * The trace and span ids of a request's spans, sorted: which spans arrived, whatever the mapping
   * did.
   */
  public static List<String> spanIds(ExportTraceServiceRequest request) {
    final List<String> ids = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          ids.add(
              HexFormat.of().formatHex(span.getTraceId().toByteArray())
                  + "/"
                  + HexFormat.of().formatHex(span.getSpanId().toByteArray()));
        }
      }
    }
    Collections.sort(ids);
    return ids;
  }

  /** The batches as one request, in order, as the sending queue merges them. */
  protected static ExportTraceServiceRequest merged(TraceBatch... batches) {
    final ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (TraceBatch batch : batches) {
      b.addAllResourceSpans(batch.request().getResourceSpansList());
    }
    return b.build();
  }

  private void assertCarries(ExportTraceServiceRequest got, String what, TraceBatch... batches) {
    assertThat(content(got)).as(what).isEqualTo(content(merged(batches)));
  }

  /** Sources for the parameterized tests: one visible skip when there is no server to answer. */
  List<Named<Answer>> retryable() {
    return supportsRemoteBackend()
        ? wire().retryableAnswers()
        : List.of(Named.of("no server", Answer.ok()));
  }

  List<Named<Answer>> permanent() {
    return supportsRemoteBackend()
        ? wire().permanentAnswers()
        : List.of(Named.of("no server", Answer.ok()));
  }

  private void assumeRemote() {
    assumeTrue(supportsRemoteBackend(), NO_SERVER);
  }

  private void assumeQueueConfig() {
    assumeTrue(supportsSendingQueueConfig(), NO_QUEUE_CONFIG);
  }

  @BeforeEach
  void setUp() {
    resetBackend();
    registry = new SimpleMeterRegistry();
    budget = new MemoryBudget(1L << 30);
    settings =
        new ExporterSettings(
            ComponentId.parse(componentType() + "/contract"), registry, Clock.SYSTEM, budget);
  }

  @AfterEach
  void tearDown() throws Exception {
    resetBackend(); // releases held answers, so shutdown does not wait on them
    for (TraceExporter e : exporters) {
      e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    }
    exporters.clear();
  }

  protected ExporterOptions options() {
    return ExporterOptions.defaults(endpoint());
  }

  protected TraceExporter started(ExporterOptions options) {
    final TraceExporter e = create(options, settings);
    exporters.add(e);
    e.start();
    return e;
  }

  private boolean owned(String exporterTag) {
    return exporterTag != null && ownsMeter(exporterTag);
  }

  protected double count(String meter) {
    return registry.find(meter).counters().stream()
        .filter(c -> owned(c.getId().getTag(ExporterTelemetry.TAG_EXPORTER)))
        .mapToDouble(Counter::count)
        .sum();
  }

  protected void awaitCount(String meter, double expected) {
    Await.until(
        meter + " == " + expected,
        () -> count(meter) >= expected,
        () -> "(is " + count(meter) + ")");
    assertThat(count(meter)).isEqualTo(expected);
  }

  @Test
  void sendsTheBatchUnchanged() {
    final TraceExporter exporter = started(options());

    assertThat(exporter.export(CHAT)).isTrue();

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(delivered()).singleElement().satisfies(r -> assertCarries(r, "the batch", CHAT));
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void reachesTheBackendsPathWithTheHeadersItNeeds() {
    assumeRemote();
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().path()).isEqualTo(expectedPath());
    expectedHeaders()
        .forEach((name, value) -> assertThat(r.headers().get(name)).as(name).isEqualTo(value));
    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retryable")
  void retriesRetryableFailures(Answer failure) {
    assumeRemote();
    collector().enqueue(failure, failure);
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(delivered()).hasSize(3).allSatisfy(r -> assertCarries(r, "each attempt", CHAT));
    assertThat(count(ExporterTelemetry.RETRIES)).isEqualTo(2);
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanent")
  void dropsOnPermanentFailureWithoutRetry(Answer failure) {
    assumeRemote();
    collector().always(failure);
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    // the drop is decided before any retry would be scheduled, so once counted no attempt follows
    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, CHAT.spanCount());
    assertThat(collector().received()).hasSize(1);
    assertThat(count(ExporterTelemetry.RETRIES)).isZero();
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isZero();
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void waitsAtLeastTheDelayTheServerAsksFor() {
    assumeRemote();
    collector().enqueue(wire().throttled(Duration.ofSeconds(1)));
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    final List<Received> got = collector().received();
    assertThat(got).hasSize(2);
    // backoff alone would retry after ~10 ms
    assertThat(Duration.ofNanos(got.get(1).arrivalNanos() - got.get(0).arrivalNanos()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void compressesWithGzipByDefault() {
    assumeRemote();
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get(wire().compressionHeader())).isEqualTo("gzip");
    assertCarries(r.request(), "the decompressed body", CHAT);
  }

  @Test
  void sendsUncompressedWhenCompressionIsNone() {
    assumeRemote();
    final TraceExporter exporter = started(options().compression(Compression.NONE));

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get(wire().compressionHeader())).isNull();
    assertCarries(r.request(), "the plain body", CHAT);
  }

  @Test
  void sendsConfiguredHeaders() {
    assumeRemote();
    assumeTrue(supportsCustomHeaders(), NO_HEADERS);
    final TraceExporter exporter =
        started(
            options()
                .headers(Map.of("x-api-key", new Secret(SECRET), "x-tenant", new Secret("acme"))));

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get("x-api-key")).isEqualTo(SECRET);
    assertThat(r.headers().get("x-tenant")).isEqualTo("acme");
  }

  @Test
  void retriesAfterATimeout() {
    assumeRemote();
    collector().enqueue(Answer.ok().delayed(Duration.ofSeconds(5)));
    final TraceExporter exporter = started(options().timeout(Duration.ofMillis(300)));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(collector().received()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(count(ExporterTelemetry.RETRIES)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void retriesWhenTheBackendIsUnreachable() {
    assumeRemote();
    final TraceExporter exporter =
        started(
            options().endpoint(wire().unreachableEndpoint()).retry(GIVE_UP_AFTER_A_FEW_ATTEMPTS));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, CHAT.spanCount());
    assertThat(count(ExporterTelemetry.RETRIES)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void givesUpAtMaxElapsedTime() {
    assumeRemote();
    collector().always(wire().retryableAnswers().get(0).getPayload());
    final TraceExporter exporter = started(options().retry(GIVE_UP_AFTER_A_FEW_ATTEMPTS));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, CHAT.spanCount());
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isZero();
    assertThat(collector().received()).hasSizeGreaterThanOrEqualTo(2);
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void fullQueueDropsAtOnceAndCountsIt() throws Exception {
    assumeRemote();
    assumeQueueConfig();
    final CompletableFuture<Void> hold = collector().newHold();
    collector().always(Answer.ok().heldUntil(hold));
    final TraceExporter exporter = started(options().queue(new QueueConfig(1, 1)));

    assertThat(exporter.export(CHAT)).isTrue(); // taken by the only consumer
    collector().awaitReceived(1);
    assertThat(exporter.export(UPSTREAM_500)).isTrue(); // waits in the queue
    final boolean third =
        CompletableFuture.supplyAsync(() -> exporter.export(CHAT))
            .get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(third).isFalse();
    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(CHAT.spanCount());
    assertThat(budget.usedBytes())
        .isEqualTo(CHAT.request().getSerializedSize() + UPSTREAM_500.request().getSerializedSize());

    hold.complete(null);
    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount() + UPSTREAM_500.spanCount());
    Await.until(
        "memory released", () -> budget.usedBytes() == 0, () -> "(" + budget.usedBytes() + ")");
  }

  @Test
  void shutdownDrainsTheQueue() throws Exception {
    if (supportsRemoteBackend()) {
      // a slow backend, so the later exports are still queued when shutdown begins
      collector().always(Answer.ok().delayed(Duration.ofMillis(50)));
    }
    // one request per queued batch; shutdownSendsTheBatchBeingFilledAtOnce has batching on
    final TraceExporter exporter = started(batchingOff(new QueueConfig(10, 1)));
    for (int i = 0; i < 3; i++) {
      assertThat(exporter.export(CHAT)).isTrue();
    }

    final long dropped = exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);

    assertThat(dropped).isZero();
    assertThat(delivered()).hasSize(3).allSatisfy(r -> assertCarries(r, "each queued batch", CHAT));
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isEqualTo(3.0 * CHAT.spanCount());
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void sendsOneRequestPerExportWithBatchingOff() {
    final TraceExporter exporter = started(batchingOff(new QueueConfig(100, 1)));

    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);
    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, 2.0 * CHAT.spanCount() + UPSTREAM_500.spanCount());
    final List<ExportTraceServiceRequest> got = delivered();
    assertThat(got).hasSize(3);
    assertCarries(got.get(0), "the first export", CHAT);
    assertCarries(got.get(1), "the second export", UPSTREAM_500);
    assertCarries(got.get(2), "the third export", CHAT);
  }

  /**
   * Options with batching off; an exporter whose YAML has no {@code sending_queue} must send each
   * batch as it came by itself, which the tests using this then check.
   */
  private ExporterOptions batchingOff(QueueConfig queue) {
    return supportsSendingQueueConfig()
        ? options().queue(queue.withBatch(BatchConfig.disabled()))
        : options();
  }

  @Test
  void mergesRequestsQueuedTogetherIntoOneAndCutsThemAtMaxSize() {
    assumeQueueConfig();
    final int n = CHAT.spanCount();
    // two CHATs reach min_size and leave at once; max_size cuts the third from a fourth
    final TraceExporter exporter =
        started(
            options()
                .queue(
                    new QueueConfig(100, 1)
                        .withBatch(
                            new BatchConfig(
                                true,
                                Duration.ofMillis(200),
                                2L * n,
                                2L * n,
                                BatchConfig.Sizer.ITEMS))));

    for (int i = 0; i < 3; i++) {
      assertThat(exporter.export(CHAT)).isTrue();
    }

    awaitCount(ExporterTelemetry.SENT_SPANS, 3.0 * n);
    final List<ExportTraceServiceRequest> got = delivered();
    assertThat(got).hasSize(2);
    assertCarries(got.get(0), "the first two, merged in order", CHAT, CHAT);
    assertCarries(got.get(1), "the third alone, after the flush timeout", CHAT);
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void manySmallExportsArriveInFewerRequestsWithNothingLost() {
    assumeQueueConfig();
    final int exports = 12;
    // only min_size releases a batch (the flush timeout is far away): exactly 3 requests of 4
    // exports
    final TraceExporter exporter =
        started(
            options()
                .queue(
                    new QueueConfig(100, 2)
                        .withBatch(
                            new BatchConfig(
                                true,
                                Duration.ofMinutes(5),
                                4L * CHAT.spanCount(),
                                4L * CHAT.spanCount(),
                                BatchConfig.Sizer.ITEMS))));

    for (int i = 0; i < exports; i++) {
      assertThat(exporter.export(CHAT)).isTrue();
    }

    awaitCount(ExporterTelemetry.SENT_SPANS, (double) exports * CHAT.spanCount());
    assertThat(delivered())
        .hasSize(3)
        .allSatisfy(r -> assertCarries(r, "four exports", CHAT, CHAT, CHAT, CHAT));
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void aMergedRequestIsRetriedWhole() {
    assumeRemote();
    assumeQueueConfig();
    collector().enqueue(wire().retryableAnswers().get(0).getPayload());
    final TraceExporter exporter =
        started(
            options()
                .queue(
                    new QueueConfig(100, 1)
                        .withBatch(
                            new BatchConfig(
                                true,
                                Duration.ofMinutes(5),
                                2L * CHAT.spanCount() + UPSTREAM_500.spanCount(),
                                0,
                                BatchConfig.Sizer.ITEMS))));

    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);
    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, 2.0 * CHAT.spanCount() + UPSTREAM_500.spanCount());
    assertThat(delivered())
        .hasSize(2)
        .allSatisfy(r -> assertCarries(r, "the merged request", CHAT, UPSTREAM_500, CHAT));
    assertThat(count(ExporterTelemetry.RETRIES)).isEqualTo(1);
  }

  @Test
  void shutdownSendsTheBatchBeingFilledAtOnce() throws Exception {
    assumeQueueConfig();
    // only shutdown can send these: neither min_size nor the flush timeout is reached
    final TraceExporter exporter =
        started(
            options()
                .queue(
                    new QueueConfig(100, 2)
                        .withBatch(
                            new BatchConfig(
                                true,
                                Duration.ofMinutes(5),
                                100_000,
                                0,
                                BatchConfig.Sizer.ITEMS))));
    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);

    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isZero();

    assertThat(delivered())
        .singleElement()
        .satisfies(r -> assertCarries(r, "both, merged", CHAT, UPSTREAM_500));
    assertThat(count(ExporterTelemetry.SENT_SPANS))
        .isEqualTo(CHAT.spanCount() + UPSTREAM_500.spanCount());
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void shutdownDropsWhatADeadBackendHoldsAtTheDeadline() throws Exception {
    assumeRemote();
    assumeQueueConfig();
    collector().always(Answer.ok().heldUntil(collector().newHold()));
    final TraceExporter exporter = started(options().queue(new QueueConfig(10, 1)));
    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);
    collector().awaitReceived(1);

    final long dropped = exporter.shutdown(Duration.ofMillis(200)).get(20, TimeUnit.SECONDS);

    assertThat(dropped).isEqualTo(CHAT.spanCount() + UPSTREAM_500.spanCount());
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isEqualTo(dropped);
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void shutdownTwiceAndExportAfterShutdown() throws Exception {
    final TraceExporter exporter = started(options());

    assertThat(exporter.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(exporter.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isZero();
    assertThat(exporter.export(CHAT)).isFalse();

    assertThat(delivered()).isEmpty();
    assertThat(budget.usedBytes()).isZero();
    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(CHAT.spanCount());
  }

  @Test
  void toStringRedactsHeaderValues() {
    assumeTrue(supportsCustomHeaders(), NO_HEADERS);
    final TraceExporter exporter =
        started(options().headers(Map.of("x-api-key", new Secret(SECRET))));

    assertThat(exporter.toString()).doesNotContain(SECRET);
    if (describesHeaders()) {
      assertThat(exporter.toString()).contains("x-api-key").contains("[REDACTED]");
    }
  }

  @Test
  void registersQueueGaugesAndHandsThemOverOnRebuild() throws Exception {
    assumeQueueConfig();
    final TraceExporter first = started(options().queue(new QueueConfig(7, 2)));

    assertThat(gauges(ExporterTelemetry.QUEUE_CAPACITY)).isNotEmpty().containsOnly(7.0);
    assertThat(gauges(ExporterTelemetry.QUEUE_SIZE)).isNotEmpty().containsOnly(0.0);

    first.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    started(options().queue(new QueueConfig(3, 1))); // same id, as after a config reload

    assertThat(gauges(ExporterTelemetry.QUEUE_CAPACITY)).isNotEmpty().containsOnly(3.0);
  }

  private List<Double> gauges(String name) {
    return registry.find(name).gauges().stream()
        .filter(g -> owned(g.getId().getTag(ExporterTelemetry.TAG_EXPORTER)))
        .map(Gauge::value)
        .toList();
  }
}
