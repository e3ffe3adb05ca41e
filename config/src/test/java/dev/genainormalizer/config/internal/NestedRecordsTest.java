package dev.genainormalizer.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.QueueConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NestedRecordsTest {
  record Otlp(String endpoint, QueueConfig sendingQueue) {}

  record Protocol(Otlp otlp) {}

  record Balancing(String routingKey, Protocol protocol, List<String> tags) {}

  record Plain(String path) {}

  private final Balancing balancing =
      new Balancing(
          "traceID", new Protocol(new Otlp("http://x", QueueConfig.defaults())), List.of("a"));

  @Test
  void findsNestedValuesWithTheirYamlPaths() {
    final Map<YamlPath, QueueConfig> found = NestedRecords.find(balancing, QueueConfig.class);

    assertThat(found).hasSize(1);
    final Map.Entry<YamlPath, QueueConfig> only = found.entrySet().iterator().next();
    assertThat(only.getKey()).hasToString("protocol.otlp.sending_queue");
    assertThat(only.getValue()).isEqualTo(QueueConfig.defaults());
  }

  @Test
  void replacesNestedValuesAndKeepsEverythingElse() {
    final Balancing replaced =
        NestedRecords.replace(
            balancing, QueueConfig.class, q -> q.withBatch(BatchConfig.disabled()));

    assertThat(replaced.protocol().otlp().sendingQueue().batch()).isEqualTo(BatchConfig.disabled());
    assertThat(replaced.protocol().otlp().endpoint()).isEqualTo("http://x");
    assertThat(replaced.routingKey()).isEqualTo("traceID");
    assertThat(replaced.tags()).isSameAs(balancing.tags());
  }

  @Test
  void aRecordWithoutSuchValuesIsReturnedAsItIs() {
    final Plain plain = new Plain("/tmp/x");

    assertThat(NestedRecords.find(plain, QueueConfig.class)).isEmpty();
    assertThat(
            NestedRecords.replace(
                plain, QueueConfig.class, q -> q.withBatch(BatchConfig.disabled())))
        .isSameAs(plain);
  }
}
