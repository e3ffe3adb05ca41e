package dev.genainormalizer.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code service} section as written in YAML; {@link ConfigLoader} turns it into a {@link
 * ServiceConfig}. It exists so that {@code memory_limit} can be written with a unit while {@link
 * ServiceConfig#memoryLimitBytes()} stays a plain number.
 */
record ServiceSection(
    Map<String, PipelineConfig> pipelines,
    TelemetryConfig telemetry,
    Duration shutdownTimeout,
    ByteSize memoryLimit) {

  ServiceSection {
    pipelines = pipelines == null ? Map.of() : pipelines;
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    shutdownTimeout =
        shutdownTimeout == null ? ServiceConfig.DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
    memoryLimit = memoryLimit == null ? new ByteSize(0) : memoryLimit;
  }

  static ServiceSection defaults() {
    final ServiceConfig d = ServiceConfig.defaults();
    return new ServiceSection(
        d.pipelines(), d.telemetry(), d.shutdownTimeout(), new ByteSize(d.memoryLimitBytes()));
  }

  ServiceConfig toServiceConfig() {
    return new ServiceConfig(pipelines, telemetry, shutdownTimeout, memoryLimit.bytes());
  }
}
