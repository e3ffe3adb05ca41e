package dev.genainormalizer.receiver;

import dev.genainormalizer.pipeline.TraceBatch;

/** Where a receiver hands decoded spans: the pipelines. Called on request threads; never blocks. */
@FunctionalInterface
public interface TraceConsumer {
  ConsumeResult consume(TraceBatch batch);
}
