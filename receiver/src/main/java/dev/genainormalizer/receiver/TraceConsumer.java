package dev.genainormalizer.receiver;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.Optional;

/** Where a receiver hands decoded spans: the pipelines. Called on request threads; never blocks. */
@FunctionalInterface
public interface TraceConsumer {
  ConsumeResult consume(TraceBatch batch);

  /**
   * The refusal {@link #consume} would give any request now (the service is over its memory budget,
   * or a queue that refuses when full is full), or empty. Receivers ask before they read a
   * request's body, so that overload does not cost the memory of buffering bodies only to refuse
   * them. Quick; never blocks.
   */
  default Optional<ConsumeResult> refusal() {
    return Optional.empty();
  }
}
