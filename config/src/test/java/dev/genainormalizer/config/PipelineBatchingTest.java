package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.TestComponents.NoopConfig;
import dev.genainormalizer.config.TestComponents.TestExporterConfig;
import dev.genainormalizer.config.TestComponents.TestFactory;
import dev.genainormalizer.config.TestComponents.TestReceiverConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code batch} processor: Collector keys bound, and applied to the exporters' batching. */
class PipelineBatchingTest {
  private final ConfigLoader loader =
      new ConfigLoader(
          ComponentRegistry.of(
              List.of(
                  new TestFactory<>(
                      ComponentKind.RECEIVER,
                      "test_receiver",
                      TestReceiverConfig.class,
                      TestReceiverConfig.defaults()),
                  new TestFactory<>(
                      ComponentKind.PROCESSOR,
                      "batch",
                      BatchProcessorConfig.class,
                      BatchProcessorConfig.defaults()),
                  new TestFactory<>(
                      ComponentKind.EXPORTER,
                      "test_exporter",
                      TestExporterConfig.class,
                      TestExporterConfig.defaults()),
                  new TestFactory<>(
                      ComponentKind.EXPORTER, "debug", NoopConfig.class, new NoopConfig()))));

  @Test
  void defaultsAreTheCollectorsAndMatchTheExportersDefaultBatching() {
    final BatchProcessorConfig defaults = BatchProcessorConfig.defaults();
    assertThat(defaults.timeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(defaults.sendBatchSize()).isEqualTo(8192);
    assertThat(defaults.sendBatchMaxSize()).isZero();
    assertThat(defaults.validate()).isEmpty();
    assertThat(defaults.toBatchConfig()).isEqualTo(BatchConfig.defaults());
  }

  @Test
  void collectorKeysSetTheBatchingOfThePipelinesExporters() throws Exception {
    final NormalizerConfig config =
        load(
            "processors:",
            "  batch/big:",
            "    timeout: 5s",
            "    send_batch_size: 1000",
            "    send_batch_max_size: 2000",
            "exporters:",
            "  test_exporter/a: { endpoint: http://a }",
            "  test_exporter/elsewhere: { endpoint: http://b }",
            "  debug: {}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [test_receiver]",
            "      processors: [batch/big]",
            "      exporters: [test_exporter/a, debug]",
            "    traces/other:",
            "      receivers: [test_receiver]",
            "      exporters: [test_exporter/elsewhere]");

    assertThat(queue(config, "test_exporter/a").batch())
        .isEqualTo(
            new BatchConfig(true, Duration.ofSeconds(5), 1000, 2000, BatchConfig.Sizer.ITEMS));
    assertThat(queue(config, "test_exporter/elsewhere").batch())
        .as("not in a pipeline with batch")
        .isNull();
    assertThat(config.exporters().get(ComponentId.of("debug"))).isEqualTo(new NoopConfig());
    // Everything else about the exporter is as bound.
    assertThat(
            ((TestExporterConfig) config.exporters().get(ComponentId.parse("test_exporter/a")))
                .endpoint())
        .isEqualTo("http://a");
  }

  @Test
  void timeoutZeroSendsAtOnceAsInTheCollector() throws Exception {
    final NormalizerConfig config =
        load(
            "processors:",
            "  batch: { timeout: 0s, send_batch_size: 100, send_batch_max_size: 500 }",
            "exporters:",
            "  test_exporter: { endpoint: http://a }",
            "service:",
            "  pipelines:",
            "    traces: { receivers: [test_receiver], processors: [batch], exporters: [test_exporter] }");

    assertThat(queue(config, "test_exporter").batch())
        .isEqualTo(
            new BatchConfig(
                true, BatchConfig.DEFAULT_FLUSH_TIMEOUT, 0, 500, BatchConfig.Sizer.ITEMS));
  }

  @Test
  void anExplicitEqualSendingQueueBatchIsAccepted() throws Exception {
    final NormalizerConfig config =
        load(
            "processors:",
            "  batch: {}",
            "exporters:",
            "  test_exporter:",
            "    endpoint: http://a",
            "    sending_queue: { batch: { flush_timeout: 200ms } }",
            "service:",
            "  pipelines:",
            "    traces: { receivers: [test_receiver], processors: [batch], exporters: [test_exporter] }");

    assertThat(queue(config, "test_exporter").batch()).isEqualTo(BatchConfig.defaults());
  }

  @Test
  void refusesAnExporterBatchThatDiffersFromItsPipelinesProcessorNamingBoth() {
    assertThatThrownBy(
            () ->
                load(
                    "processors:",
                    "  batch: { timeout: 1s }",
                    "exporters:",
                    "  test_exporter:",
                    "    endpoint: http://a",
                    "    sending_queue:",
                    "      batch: { min_size: 10 }",
                    "service:",
                    "  pipelines:",
                    "    traces: { receivers: [test_receiver], processors: [batch], exporters: [test_exporter] }"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error -> {
                          assertThat(error.path())
                              .isEqualTo("exporters.test_exporter.sending_queue.batch");
                          assertThat(error.line()).isEqualTo(9);
                          assertThat(error.message())
                              .contains("flush_timeout 200ms, min_size 10")
                              .contains(
                                  "processor 'batch' of pipeline 'traces' (flush_timeout 1s, min_size 8192, max_size 0, sizer items),"
                                      + " defined at processors.batch, line 4");
                        }));
  }

  @Test
  void refusesAnExporterSharedByPipelinesWithDifferentBatchProcessors() {
    assertThatThrownBy(
            () ->
                load(
                    "processors:",
                    "  batch/a: { send_batch_size: 100 }",
                    "  batch/b: { send_batch_size: 200 }",
                    "exporters:",
                    "  test_exporter: { endpoint: http://a }",
                    "service:",
                    "  pipelines:",
                    "    traces/a:",
                    "      receivers: [test_receiver]",
                    "      processors: [batch/a]",
                    "      exporters: [test_exporter]",
                    "    traces/b:",
                    "      receivers: [test_receiver]",
                    "      processors: [batch/b]",
                    "      exporters: [test_exporter]"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error -> {
                          assertThat(error.path())
                              .isEqualTo("service.pipelines.traces/b.exporters[0]");
                          assertThat(error.message())
                              .contains("processor 'batch/b' of pipeline 'traces/b'")
                              .contains("min_size 200")
                              .contains(
                                  "processor 'batch/a' of pipeline 'traces/a' says (flush_timeout 200ms, min_size 100,")
                              .contains(
                                  "listed at service.pipelines.traces/a.exporters[0], line 13");
                        }));
  }

  @Test
  void aSharedExporterMayHaveEqualBatchProcessorsAndPipelinesWithoutOne() throws Exception {
    final NormalizerConfig config =
        load(
            "processors:",
            "  batch/a: { send_batch_size: 100 }",
            "  batch/b: { send_batch_size: 100 }",
            "exporters:",
            "  test_exporter: { endpoint: http://a }",
            "service:",
            "  pipelines:",
            "    traces/a: { receivers: [test_receiver], processors: [batch/a], exporters: [test_exporter] }",
            "    traces/b: { receivers: [test_receiver], processors: [batch/b], exporters: [test_exporter] }",
            "    traces/c: { receivers: [test_receiver], exporters: [test_exporter] }");

    assertThat(queue(config, "test_exporter").batch().minSize()).isEqualTo(100);
  }

  @Test
  void refusesTwoDifferentBatchProcessorsInOnePipeline() {
    assertThatThrownBy(
            () ->
                load(
                    "processors:",
                    "  batch: {}",
                    "  batch/slow: { timeout: 10s }",
                    "exporters:",
                    "  test_exporter: { endpoint: http://a }",
                    "service:",
                    "  pipelines:",
                    "    traces:",
                    "      receivers: [test_receiver]",
                    "      processors: [batch, batch/slow]",
                    "      exporters: [test_exporter]"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error -> {
                          assertThat(error.path())
                              .isEqualTo("service.pipelines.traces.processors[1]");
                          assertThat(error.message())
                              .contains("processor 'batch/slow'")
                              .contains("from processor 'batch' (flush_timeout 200ms,")
                              .contains(
                                  "listed at service.pipelines.traces.processors[0], line 12");
                        }));
  }

  @Test
  void refusesMetadataKeysAndBadSizesWithTheirPaths() {
    assertThatThrownBy(
            () ->
                load(
                    "processors:",
                    "  batch:",
                    "    timeout: -1s",
                    "    send_batch_size: 100",
                    "    send_batch_max_size: 50",
                    "    metadata_keys: [tenant]",
                    "    metadata_cardinality_limit: 10",
                    "exporters:",
                    "  test_exporter: { endpoint: http://a }",
                    "service:",
                    "  pipelines:",
                    "    traces: { receivers: [test_receiver], processors: [batch], exporters: [test_exporter] }"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ConfigError::path, ConfigError::line)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("processors.batch.timeout", 5),
                        org.assertj.core.groups.Tuple.tuple(
                            "processors.batch.send_batch_max_size", 7),
                        org.assertj.core.groups.Tuple.tuple("processors.batch.metadata_keys", 8),
                        org.assertj.core.groups.Tuple.tuple(
                            "processors.batch.metadata_cardinality_limit", 9)))
        .hasMessageContaining("not supported")
        .hasMessageContaining("(expected: 0 for no limit, or >= send_batch_size, 100)");
  }

  @Test
  void refusesAnUnknownKeyListingTheCollectorKeys() {
    assertThatThrownBy(
            () ->
                load(
                    "processors:",
                    "  batch: { flush_timeout: 1s }",
                    "exporters:",
                    "  test_exporter: { endpoint: http://a }",
                    "service:",
                    "  pipelines:",
                    "    traces: { receivers: [test_receiver], processors: [batch], exporters: [test_exporter] }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processors.batch.flush_timeout")
        .hasMessageContaining("send_batch_size");
  }

  private NormalizerConfig load(String... lines) throws ConfigException {
    final String receivers = "receivers:\n  test_receiver: {}\n";
    return loader.load(receivers + String.join("\n", lines) + "\n", "test", Map.of());
  }

  private static QueueConfig queue(NormalizerConfig config, String exporter) {
    return ((TestExporterConfig) config.exporters().get(ComponentId.parse(exporter)))
        .sendingQueue();
  }
}
