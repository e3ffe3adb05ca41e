package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                1000, 10, QueueConfig.Storage.DISK, "/var/lib/q", ByteSize.parse("64MiB"),
                QueueConfig.Fsync.ALWAYS, null));
    assertThat(config.sendingQueue().refusesWhenFull()).isTrue();
  }

  @Test
  void onFullDefaultsToRefuseOnDiskAndDropInMemoryUnlessSet() throws Exception {
    assertThat(QueueConfig.defaults().effectiveOnFull()).isEqualTo(QueueConfig.OnFull.DROP);
    final TestComponents.TestExporterConfig memory =
        loader.loadComponent(EXPORTER, "endpoint: http://x\nsending_queue:\n  on_full: refuse\n", Map.of());
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
    assertThat(new QueueConfig(10, 1, QueueConfig.Storage.DISK, " ", ByteSize.ofBytes(1000), null, null).validate())
        .containsExactly(
            "directory: required (expected: a directory for the disk queue, with storage: disk)",
            "max_bytes: 1000 (expected: >= 1MiB)");
  }

  @Test
  void anUnknownStorageIsAnErrorNamingTheKey() {
    assertThatThrownBy(
            () -> loader.loadComponent(
                EXPORTER, "sending_queue:\n  storage: tape\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sending_queue.storage");
  }
}
