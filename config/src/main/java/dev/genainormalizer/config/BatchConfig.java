package dev.genainormalizer.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genainormalizer.config.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sending_queue.batch}: how an exporter merges the batches in its queue into larger
 * requests, with the keys and defaults of the Collector's exporterhelper. A batch is sent once it
 * holds {@code min_size} (in {@code sizer} units) or {@code flush_timeout} after its first part
 * arrived, whichever comes first, and is cut at {@code max_size}. On by default, unlike the
 * Collector, because each Kong request carries only about ten spans after the {@code kong}
 * processor.
 *
 * @param enabled merge at all; false sends each queued batch as it came; default true
 * @param flushTimeout the longest a batch waits for more data; default 200ms; must be &gt; 0
 * @param minSize the size at which a batch is sent at once; default 8192; 0 sends every batch as
 *     soon as a consumer is free (merging only what waited)
 * @param maxSize the largest batch; larger ones are split; default 0 (no limit); &gt;= min_size
 *     when set
 * @param sizer what sizes count: {@code items} (spans, the default) or {@code bytes} (serialized
 *     OTLP protobuf)
 */
public record BatchConfig(
    boolean enabled, Duration flushTimeout, long minSize, long maxSize, Sizer sizer)
    implements Validatable {

  public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofMillis(200);
  public static final long DEFAULT_MIN_SIZE = 8192;

  /** What {@code min_size} and {@code max_size} count. */
  public enum Sizer {
    /** Spans. */
    @JsonProperty("items")
    ITEMS,
    /** Bytes of the OTLP protobuf encoding, before any vendor mapping or compression. */
    @JsonProperty("bytes")
    BYTES
  }

  /**
   * Binds a YAML block: a key left out takes its default, since the block has no defaults of its
   * own to be overlaid on (an unset {@code batch} is told apart from an empty one).
   */
  @JsonCreator
  static BatchConfig fromYaml(
      @JsonProperty("enabled") Boolean enabled,
      @JsonProperty("flush_timeout") Duration flushTimeout,
      @JsonProperty("min_size") Long minSize,
      @JsonProperty("max_size") Long maxSize,
      @JsonProperty("sizer") Sizer sizer) {
    return new BatchConfig(
        enabled == null || enabled,
        flushTimeout == null ? DEFAULT_FLUSH_TIMEOUT : flushTimeout,
        minSize == null ? DEFAULT_MIN_SIZE : minSize,
        maxSize == null ? 0 : maxSize,
        sizer == null ? Sizer.ITEMS : sizer);
  }

  public static BatchConfig defaults() {
    return new BatchConfig(true, DEFAULT_FLUSH_TIMEOUT, DEFAULT_MIN_SIZE, 0, Sizer.ITEMS);
  }

  /** Batching off: every queued batch is sent as it came. */
  public static BatchConfig disabled() {
    return new BatchConfig(false, DEFAULT_FLUSH_TIMEOUT, DEFAULT_MIN_SIZE, 0, Sizer.ITEMS);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (flushTimeout == null || flushTimeout.isNegative() || flushTimeout.isZero()) {
      errors.add(
          "flush_timeout: "
              + (flushTimeout == null ? "null" : Durations.format(flushTimeout))
              + " (expected: > 0)");
    }
    if (minSize < 0) {
      errors.add("min_size: " + minSize + " (expected: >= 0)");
    }
    if (maxSize < 0) {
      errors.add("max_size: " + maxSize + " (expected: >= 0; 0 for no limit)");
    } else if (maxSize > 0 && maxSize < minSize) {
      errors.add(
          "max_size: " + maxSize + " (expected: 0 for no limit, or >= min_size, " + minSize + ")");
    }
    if (sizer == null) {
      errors.add("sizer: null (expected: items or bytes)");
    }
    return errors;
  }
}
