package dev.genainormalizer.exporter;

import dev.genainormalizer.pipeline.TraceBatch;

/**
 * Told of every finished send attempt of an exporter (the app's status page records the last batch
 * sent and the last error). Must be quick and must not throw: it runs on the thread that completed
 * the attempt.
 */
@FunctionalInterface
public interface AttemptListener {
  /** Listens to nothing: what an exporter reports to until the app sets its own. */
  AttemptListener NONE = (batch, error) -> {};

  /**
   * @param batch the batch the attempt sent, before any vendor mapping (see {@link
   *     TraceExporter#asSent(TraceBatch)})
   * @param error null when the backend accepted the batch, else why the attempt failed
   */
  void attemptDone(TraceBatch batch, Throwable error);
}
