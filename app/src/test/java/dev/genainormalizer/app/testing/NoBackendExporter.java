package dev.genainormalizer.app.testing;

import dev.genainormalizer.exporter.AttemptListener;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.pipeline.TraceBatch;
import java.util.Set;

/**
 * A test stand-in with no backend: it sends nothing, so it maps nothing, has no attempt to report
 * and reports no sending meters. Subclasses say what {@link #export} does.
 */
public abstract class NoBackendExporter implements TraceExporter {

  @Override
  public String description() {
    return "test exporter " + getClass().getSimpleName() + " (no backend)";
  }

  @Override
  public TraceBatch asSent(TraceBatch batch) {
    return batch;
  }

  @Override
  public void attemptListener(AttemptListener listener) {
    // sends nothing: no attempt to report
  }

  @Override
  public Set<String> meteredUnder() {
    return Set.of();
  }
}
