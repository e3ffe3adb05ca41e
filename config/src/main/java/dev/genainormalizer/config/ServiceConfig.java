package dev.genainormalizer.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code service} section.
 *
 * @param pipelines pipelines by id ({@code traces} or {@code traces/name}), in YAML order
 * @param telemetry the service's own telemetry (admin endpoint)
 * @param shutdownTimeout how long SIGTERM waits for queues to drain; default 10s
 * @param memoryLimitBytes bytes of telemetry the service may hold in memory before its receivers
 *     refuse data; 0 means a share of the maximum heap (see {@link #DEFAULT_HEAP_SHARE})
 */
public record ServiceConfig(
    Map<String, PipelineConfig> pipelines,
    TelemetryConfig telemetry,
    Duration shutdownTimeout,
    long memoryLimitBytes) {

  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Share of {@code Runtime.maxMemory()} used as the memory limit when none is configured. The
   * limit counts serialized bytes; the same spans take more heap as Java objects, plus garbage
   * between collections: with half the heap, a 128 MiB JVM ran out of memory under overload, with a
   * quarter it did not (app fault tests, docs/reliability.md).
   */
  public static final double DEFAULT_HEAP_SHARE = 0.25;

  public ServiceConfig {
    pipelines =
        java.util.Collections.unmodifiableMap(
            new java.util.LinkedHashMap<>(pipelines == null ? Map.of() : pipelines));
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
  }

  public static ServiceConfig defaults() {
    return new ServiceConfig(Map.of(), TelemetryConfig.defaults(), DEFAULT_SHUTDOWN_TIMEOUT, 0);
  }

  /** The memory limit in force: the configured one, or a share of the given maximum heap. */
  public long effectiveMemoryLimitBytes(long maxHeapBytes) {
    return memoryLimitBytes > 0 ? memoryLimitBytes : (long) (maxHeapBytes * DEFAULT_HEAP_SHARE);
  }
}
