package dev.genainormalizer.app;

import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * Lets the benchmarks drive the usage metrics, which are package-private to the app, exactly as a
 * pipeline does after its processors. Bench-only: lives in the bench module, not in the app.
 */
public final class UsageMetricsAccess {
  private UsageMetricsAccess() {}

  public static Consumer<TraceBatch> usageMetrics(MeterRegistry registry, int maxSeriesPerMetric) {
    return new UsageMetrics(registry, maxSeriesPerMetric)::record;
  }
}
