package dev.genainormalizer.config;

import dev.genainormalizer.config.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code processors.batch}: the Collector's batch processor, accepted so that Collector configs
 * that list it keep working. It does not batch in the pipeline: it sets {@code sending_queue.batch}
 * of every exporter of the pipelines that list it (see {@link #toBatchConfig()}), where batching
 * happens anyway. Keys and defaults are the Collector's.
 *
 * @param timeout becomes {@code flush_timeout}; default 200ms; 0 (the Collector: send at once)
 *     sends each batch as soon as a consumer is free, as {@code min_size: 0} does
 * @param sendBatchSize becomes {@code min_size} (spans); default 8192
 * @param sendBatchMaxSize becomes {@code max_size} (spans); default 0 (no limit); &gt;= {@code
 *     send_batch_size} when set
 * @param metadataKeys not supported (the exporters' batches are not split by client metadata);
 *     refused when set
 * @param metadataCardinalityLimit not supported, as {@code metadata_keys}; refused when set
 */
public record BatchProcessorConfig(
    Duration timeout,
    long sendBatchSize,
    long sendBatchMaxSize,
    List<String> metadataKeys,
    Long metadataCardinalityLimit)
    implements Validatable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
  public static final long DEFAULT_SEND_BATCH_SIZE = 8192;

  private static final String UNSUPPORTED =
      " (not supported: the exporters' batches are not split by client metadata; remove the key)";

  public BatchProcessorConfig {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    metadataKeys = metadataKeys == null ? null : List.copyOf(metadataKeys);
  }

  public static BatchProcessorConfig defaults() {
    return new BatchProcessorConfig(DEFAULT_TIMEOUT, DEFAULT_SEND_BATCH_SIZE, 0, null, null);
  }

  /** The {@code sending_queue.batch} this processor stands for: counted in spans, always on. */
  public BatchConfig toBatchConfig() {
    if (timeout.isZero()) {
      // The Collector sends at once without a timeout; min_size 0 is the same here, and
      // flush_timeout must stay > 0, so it keeps its default.
      return new BatchConfig(
          true, BatchConfig.DEFAULT_FLUSH_TIMEOUT, 0, sendBatchMaxSize, BatchConfig.Sizer.ITEMS);
    }
    return new BatchConfig(true, timeout, sendBatchSize, sendBatchMaxSize, BatchConfig.Sizer.ITEMS);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (timeout.isNegative()) {
      errors.add("timeout: " + Durations.format(timeout) + " (expected: >= 0)");
    }
    if (sendBatchSize < 0) {
      errors.add("send_batch_size: " + sendBatchSize + " (expected: >= 0)");
    }
    if (sendBatchMaxSize < 0) {
      errors.add("send_batch_max_size: " + sendBatchMaxSize + " (expected: >= 0; 0 for no limit)");
    } else if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
      errors.add(
          "send_batch_max_size: "
              + sendBatchMaxSize
              + " (expected: 0 for no limit, or >= send_batch_size, "
              + sendBatchSize
              + ")");
    }
    if (metadataKeys != null) {
      errors.add("metadata_keys: " + metadataKeys + UNSUPPORTED);
    }
    if (metadataCardinalityLimit != null) {
      errors.add("metadata_cardinality_limit: " + metadataCardinalityLimit + UNSUPPORTED);
    }
    return errors;
  }
}
