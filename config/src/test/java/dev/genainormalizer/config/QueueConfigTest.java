package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueConfigTest {
  private static final TestComponents.TestFactory<TestComponents.TestExporterConfig> EXPORTER =
      new TestComponents.TestFactory<>(
          ComponentKind.EXPORTER,
          "test_exporter",
          TestComponents.TestExporterConfig.class,
          TestComponents.TestExporterConfig.defaults());
  private final ConfigLoader loader = new ConfigLoader(TestComponents.registry());

  @Test
  void bindsTheDiskKeysWithUnitsAndKeepsTheOthersDefault() throws Exception {
    final TestComponents.TestExporterConfig config =
        loader.loadComponent(
            EXPORTER,
            "endpoint: http://x\nsending_queue:\n  storage: disk\n  directory: /var/lib/q\n  max_bytes: 64MiB\n  fsync: always\n",
            Map.of());
    assertThat(config.sendingQueue())
        .isEqualTo(
            new QueueConfig(
                1000,
                10,
                QueueConfig.Storage.DISK,
                "/var/lib/q",
                ByteSize.parse("64MiB"),
                QueueConfig.Fsync.ALWAYS,
                null,
                null));
    assertThat(config.sendingQueue().refusesWhenFull()).isTrue();
  }

  @Test
  void onFullDefaultsToRefuseOnDiskAndDropInMemoryUnlessSet() throws Exception {
    assertThat(QueueConfig.defaults().effectiveOnFull()).isEqualTo(QueueConfig.OnFull.DROP);
    final TestComponents.TestExporterConfig memory =
        loader.loadComponent(
            EXPORTER, "endpoint: http://x\nsending_queue:\n  on_full: refuse\n", Map.of());
    assertThat(memory.sendingQueue().effectiveOnFull()).isEqualTo(QueueConfig.OnFull.REFUSE);
    final TestComponents.TestExporterConfig disk =
        loader.loadComponent(
            EXPORTER,
            "endpoint: http://x\nsending_queue:\n  storage: disk\n  directory: /q\n  on_full: drop\n",
            Map.of());
    assertThat(disk.sendingQueue().effectiveOnFull()).isEqualTo(QueueConfig.OnFull.DROP);
  }

  @Test
  void defaultsToMemoryWithBatchFsyncAndOneGibibyte() {
    final QueueConfig d = QueueConfig.defaults();
    assertThat(d.storage()).isEqualTo(QueueConfig.Storage.MEMORY);
    assertThat(d.fsync()).isEqualTo(QueueConfig.Fsync.BATCH);
    assertThat(d.maxBytes()).isEqualTo(ByteSize.parse("1GiB"));
    assertThat(d.isDisk()).isFalse();
    assertThat(d.validate()).isEmpty();
  }

  @Test
  void diskNeedsADirectoryAndAMegabyteAtLeast() {
    assertThat(
            new QueueConfig(
                    10, 1, QueueConfig.Storage.DISK, " ", ByteSize.ofBytes(1000), null, null, null)
                .validate())
        .containsExactly(
            "directory: required (expected: a directory for the disk queue, with storage: disk)",
            "max_bytes: 1000 (expected: >= 1MiB)");
  }

  @Test
  void batchIsUnsetByDefaultAndMeansBatchingOn() throws Exception {
    final TestComponents.TestExporterConfig config =
        loader.loadComponent(
            EXPORTER, "endpoint: http://x\nsending_queue:\n  queue_size: 10\n", Map.of());
    assertThat(config.sendingQueue().batch()).isNull();
    assertThat(config.sendingQueue().effectiveBatch(BatchConfig.defaults()))
        .isEqualTo(BatchConfig.defaults());
    assertThat(BatchConfig.defaults())
        .isEqualTo(new BatchConfig(true, Duration.ofMillis(200), 8192, 0, BatchConfig.Sizer.ITEMS));
  }

  @Test
  void batchKeysLeftOutTakeTheirDefaults() throws Exception {
    final QueueConfig empty =
        loader
            .loadComponent(EXPORTER, "endpoint: http://x\nsending_queue:\n  batch: {}\n", Map.of())
            .sendingQueue();
    assertThat(empty.batch()).as("set, though empty").isEqualTo(BatchConfig.defaults());
    assertThat(empty.effectiveBatch(BatchConfig.disabled())).isEqualTo(BatchConfig.defaults());

    final QueueConfig some =
        loader
            .loadComponent(
                EXPORTER,
                "endpoint: http://x\nsending_queue:\n  batch: { max_size: 10000, sizer: bytes }\n",
                Map.of())
            .sendingQueue();
    assertThat(some.batch())
        .isEqualTo(
            new BatchConfig(true, Duration.ofMillis(200), 8192, 10000, BatchConfig.Sizer.BYTES));

    final QueueConfig all =
        loader
            .loadComponent(
                EXPORTER,
                "endpoint: http://x\nsending_queue:\n  batch:\n"
                    + "    enabled: false\n    flush_timeout: 1s\n    min_size: 10\n    max_size: 20\n    sizer: items\n",
                Map.of())
            .sendingQueue();
    assertThat(all.batch())
        .isEqualTo(new BatchConfig(false, Duration.ofSeconds(1), 10, 20, BatchConfig.Sizer.ITEMS));
  }

  @Test
  void badBatchValuesAreErrorsNamingTheirKeys() {
    assertThatThrownBy(
            () ->
                loader.loadComponent(
                    EXPORTER,
                    "endpoint: http://x\nsending_queue:\n  batch:\n"
                        + "    flush_timeout: 0s\n    min_size: 100\n    max_size: 10\n",
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sending_queue.batch.flush_timeout: 0s (expected: > 0)")
        .hasMessageContaining(
            "sending_queue.batch.max_size: 10 (expected: 0 for no limit, or >= min_size, 100)");
    assertThatThrownBy(
            () ->
                loader.loadComponent(
                    EXPORTER,
                    "endpoint: http://x\nsending_queue:\n  batch: { sizer: requests }\n",
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sending_queue.batch.sizer");
    assertThatThrownBy(
            () ->
                loader.loadComponent(
                    EXPORTER,
                    "endpoint: http://x\nsending_queue:\n  batch: { min_sise: 3 }\n",
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sending_queue.batch.min_sise");
    assertThat(
            new BatchConfig(true, Duration.ofMillis(200), -1, -2, BatchConfig.Sizer.ITEMS)
                .validate())
        .containsExactly(
            "min_size: -1 (expected: >= 0)", "max_size: -2 (expected: >= 0; 0 for no limit)");
  }

  @Test
  void anUnknownStorageIsAnErrorNamingTheKey() {
    assertThatThrownBy(
            () -> loader.loadComponent(EXPORTER, "sending_queue:\n  storage: tape\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sending_queue.storage");
  }
}
