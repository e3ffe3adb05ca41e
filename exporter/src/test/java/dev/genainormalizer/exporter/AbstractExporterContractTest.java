package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
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
 * What every OTLP exporter must do, run against a real in-process backend (J8 / §4.7). A subclass
 * starts the backend as a static {@code ServerExtension} feeding {@link #collector()} and maps
 * {@link ExporterOptions} onto its config; the tests here are inherited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractExporterContractTest {
  protected static final String SECRET = "s3cr3t-token-value";
  private static final TraceBatch CHAT = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
  private static final TraceBatch UPSTREAM_500 =
      TraceBatch.of(TestTraces.fixture("kong-3.13-upstream-500.json"));
  /**
   * Quick retries, given up after 2 s: room for several attempts even when a busy machine makes the
   * first one (a fresh connection) slow, which 300 ms was not.
   */
  private static final RetryConfig GIVE_UP_AFTER_A_FEW_ATTEMPTS =
      new RetryConfig(true, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), 1.5, 0);

  private final List<TraceExporter> exporters = new ArrayList<>();
  protected SimpleMeterRegistry registry;
  protected MemoryBudget budget;
  protected ExporterSettings settings;

  /** The backend's shared state. */
  protected abstract TestCollector collector();

  /** The backend's endpoint as a user writes it in YAML. */
  protected abstract String endpoint();

  /** An endpoint where nothing listens. */
  protected abstract String unreachableEndpoint();

  /** Creates the exporter through its factory, as the app does. */
  protected abstract TraceExporter create(ExporterOptions options, ExporterSettings settings);

  /** The request header naming the body's compression. */
  protected abstract String compressionHeader();

  protected abstract List<Named<Answer>> retryableAnswers();

  protected abstract List<Named<Answer>> permanentAnswers();

  /** A throttling answer asking to wait {@code delay}. */
  protected abstract Answer throttled(Duration delay);

  @BeforeEach
  void setUp() {
    collector().reset();
    registry = new SimpleMeterRegistry();
    budget = new MemoryBudget(1L << 30);
    settings = new ExporterSettings(ComponentId.parse(componentType() + "/contract"), registry,
        Clock.SYSTEM, budget);
  }

  @AfterEach
  void tearDown() throws Exception {
    collector().reset();
    for (TraceExporter e : exporters) {
      e.shutdown(Duration.ZERO).get(20, TimeUnit.SECONDS);
    }
    exporters.clear();
  }

  protected abstract String componentType();

  protected ExporterOptions options() {
    return ExporterOptions.defaults(endpoint());
  }

  protected TraceExporter started(ExporterOptions options) {
    final TraceExporter e = create(options, settings);
    exporters.add(e);
    e.start();
    return e;
  }

  protected double count(String meter) {
    final Counter c = registry.find(meter).tag(ExporterTelemetry.TAG_EXPORTER, settings.id().toString()).counter();
    return c == null ? 0 : c.count();
  }

  protected void awaitCount(String meter, double expected) {
    Await.until(meter + " == " + expected, () -> count(meter) >= expected, () -> "(is " + count(meter) + ")");
    assertThat(count(meter)).isEqualTo(expected);
  }

  @Test
  void sendsTheBatchUnchanged() {
    final TraceExporter exporter = started(options());

    assertThat(exporter.export(CHAT)).isTrue();

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(collector().received()).singleElement()
        .satisfies(r -> assertThat(r.request()).isEqualTo(CHAT.request()));
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retryableAnswers")
  void retriesRetryableFailures(Answer failure) {
    collector().enqueue(failure, failure);
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(collector().received()).hasSize(3)
        .allSatisfy(r -> assertThat(r.request()).isEqualTo(CHAT.request()));
    assertThat(count(ExporterTelemetry.RETRIES)).isEqualTo(2);
    assertThat(count(ExporterTelemetry.SEND_FAILED_SPANS)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentAnswers")
  void dropsOnPermanentFailureWithoutRetry(Answer failure) {
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
    collector().enqueue(throttled(Duration.ofSeconds(1)));
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
    final TraceExporter exporter = started(options());

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get(compressionHeader())).isEqualTo("gzip");
    assertThat(r.request()).isEqualTo(CHAT.request());
  }

  @Test
  void sendsUncompressedWhenCompressionIsNone() {
    final TraceExporter exporter = started(options().compression(Compression.NONE));

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get(compressionHeader())).isNull();
    assertThat(r.request()).isEqualTo(CHAT.request());
  }

  @Test
  void sendsConfiguredHeaders() {
    final TraceExporter exporter = started(options().headers(
        Map.of("x-api-key", new Secret(SECRET), "x-tenant", new Secret("acme"))));

    exporter.export(CHAT);

    final Received r = collector().awaitReceived(1).get(0);
    assertThat(r.headers().get("x-api-key")).isEqualTo(SECRET);
    assertThat(r.headers().get("x-tenant")).isEqualTo("acme");
  }

  @Test
  void retriesAfterATimeout() {
    collector().enqueue(Answer.ok().delayed(Duration.ofSeconds(5)));
    final TraceExporter exporter = started(options().timeout(Duration.ofMillis(300)));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount());
    assertThat(collector().received()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(count(ExporterTelemetry.RETRIES)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void retriesWhenTheBackendIsUnreachable() {
    final TraceExporter exporter = started(options().endpoint(unreachableEndpoint())
        .retry(GIVE_UP_AFTER_A_FEW_ATTEMPTS));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, CHAT.spanCount());
    assertThat(count(ExporterTelemetry.RETRIES)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void givesUpAtMaxElapsedTime() {
    collector().always(retryableAnswers().get(0).getPayload());
    final TraceExporter exporter = started(options().retry(GIVE_UP_AFTER_A_FEW_ATTEMPTS));

    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SEND_FAILED_SPANS, CHAT.spanCount());
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isZero();
    assertThat(collector().received()).hasSizeGreaterThanOrEqualTo(2);
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void fullQueueDropsAtOnceAndCountsIt() throws Exception {
    final CompletableFuture<Void> hold = collector().newHold();
    collector().always(Answer.ok().heldUntil(hold));
    final TraceExporter exporter = started(options().queue(new QueueConfig(1, 1)));

    assertThat(exporter.export(CHAT)).isTrue(); // taken by the only consumer
    collector().awaitReceived(1);
    assertThat(exporter.export(UPSTREAM_500)).isTrue(); // waits in the queue
    final boolean third =
        CompletableFuture.supplyAsync(() -> exporter.export(CHAT)).get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(third).isFalse();
    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(CHAT.spanCount());
    assertThat(budget.usedBytes())
        .isEqualTo(CHAT.request().getSerializedSize() + UPSTREAM_500.request().getSerializedSize());

    hold.complete(null);
    awaitCount(ExporterTelemetry.SENT_SPANS, CHAT.spanCount() + UPSTREAM_500.spanCount());
    Await.until("memory released", () -> budget.usedBytes() == 0, () -> "(" + budget.usedBytes() + ")");
  }

  @Test
  void shutdownDrainsTheQueue() throws Exception {
    collector().always(Answer.ok().delayed(Duration.ofMillis(50)));
    // one request per queued batch; shutdownSendsTheBatchBeingFilledAtOnce has batching on
    final TraceExporter exporter = started(options().queue(new QueueConfig(10, 1).withBatch(BatchConfig.disabled())));
    for (int i = 0; i < 3; i++) {
      assertThat(exporter.export(CHAT)).isTrue();
    }

    final long dropped = exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);

    assertThat(dropped).isZero();
    assertThat(collector().received()).hasSize(3);
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isEqualTo(3.0 * CHAT.spanCount());
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void mergesRequestsQueuedTogetherIntoOneAndCutsThemAtMaxSize() {
    final int n = CHAT.spanCount();
    // two CHATs reach min_size and leave at once; max_size cuts the third from a fourth
    final TraceExporter exporter = started(options().queue(new QueueConfig(100, 1)
        .withBatch(new BatchConfig(true, Duration.ofMillis(200), 2L * n, 2L * n, BatchConfig.Sizer.ITEMS))));

    for (int i = 0; i < 3; i++) {
      assertThat(exporter.export(CHAT)).isTrue();
    }

    awaitCount(ExporterTelemetry.SENT_SPANS, 3.0 * n);
    final List<Received> got = collector().received();
    assertThat(got).hasSize(2);
    assertThat(got.get(0).request()).as("the first two, merged in order").isEqualTo(
        CHAT.request().toBuilder().addAllResourceSpans(CHAT.request().getResourceSpansList()).build());
    assertThat(got.get(1).request()).as("the third alone, after the flush timeout").isEqualTo(CHAT.request());
    Await.until("memory released", () -> budget.usedBytes() == 0);
  }

  @Test
  void aMergedRequestIsRetriedWhole() {
    collector().enqueue(retryableAnswers().get(0).getPayload());
    final TraceExporter exporter = started(options().queue(new QueueConfig(100, 1)
        .withBatch(new BatchConfig(true, Duration.ofMinutes(5), 2L * CHAT.spanCount() + UPSTREAM_500.spanCount(), 0,
            BatchConfig.Sizer.ITEMS))));

    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);
    exporter.export(CHAT);

    awaitCount(ExporterTelemetry.SENT_SPANS, 2.0 * CHAT.spanCount() + UPSTREAM_500.spanCount());
    final ExportTraceServiceRequest merged = CHAT.request().toBuilder()
        .addAllResourceSpans(UPSTREAM_500.request().getResourceSpansList())
        .addAllResourceSpans(CHAT.request().getResourceSpansList()).build();
    assertThat(collector().received()).hasSize(2).allSatisfy(r -> assertThat(r.request()).isEqualTo(merged));
    assertThat(count(ExporterTelemetry.RETRIES)).isEqualTo(1);
  }

  @Test
  void shutdownSendsTheBatchBeingFilledAtOnce() throws Exception {
    // only shutdown can send these: neither min_size nor the flush timeout is reached
    final TraceExporter exporter = started(options().queue(new QueueConfig(100, 2)
        .withBatch(new BatchConfig(true, Duration.ofMinutes(5), 100_000, 0, BatchConfig.Sizer.ITEMS))));
    exporter.export(CHAT);
    exporter.export(UPSTREAM_500);

    assertThat(exporter.shutdown(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isZero();

    assertThat(collector().received()).singleElement().satisfies(r -> assertThat(r.request()).isEqualTo(
        CHAT.request().toBuilder().addAllResourceSpans(UPSTREAM_500.request().getResourceSpansList()).build()));
    assertThat(count(ExporterTelemetry.SENT_SPANS)).isEqualTo(CHAT.spanCount() + UPSTREAM_500.spanCount());
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void shutdownDropsWhatADeadBackendHoldsAtTheDeadline() throws Exception {
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

    assertThat(count(ExporterTelemetry.ENQUEUE_FAILED_SPANS)).isEqualTo(CHAT.spanCount());
    assertThat(collector().received()).isEmpty();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void toStringRedactsHeaderValues() {
    final TraceExporter exporter = started(options().headers(Map.of("x-api-key", new Secret(SECRET))));

    assertThat(exporter.toString()).contains("x-api-key").contains("[REDACTED]").doesNotContain(SECRET);
  }

  @Test
  void registersQueueGaugesAndHandsThemOverOnRebuild() throws Exception {
    final TraceExporter first = started(options().queue(new QueueConfig(7, 2)));

    assertThat(gauge(ExporterTelemetry.QUEUE_CAPACITY)).isEqualTo(7);
    assertThat(gauge(ExporterTelemetry.QUEUE_SIZE)).isZero();

    first.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    started(options().queue(new QueueConfig(3, 1))); // same id, as after a config reload

    assertThat(gauge(ExporterTelemetry.QUEUE_CAPACITY)).isEqualTo(3);
  }

  private double gauge(String name) {
    return registry.get(name).tag(ExporterTelemetry.TAG_EXPORTER, settings.id().toString()).gauge().value();
  }
}
