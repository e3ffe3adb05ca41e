package dev.genainormalizer.processor.batch;

import dev.genainormalizer.config.BatchProcessorConfig;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.ProcessorFactory;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;

/**
 * The {@code batch} processor, the Collector's name for batching: its settings are applied to the
 * {@code sending_queue.batch} of the pipeline's exporters when the config is loaded, so in the
 * pipeline it passes every batch on unchanged. Holding spans here as well would add a second wait
 * (and a second place where acknowledged spans sit outside the disk queue) for no larger requests.
 */
public final class BatchProcessorFactory implements ProcessorFactory<BatchProcessorConfig> {
  public static final String TYPE = "batch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<BatchProcessorConfig> configType() {
    return BatchProcessorConfig.class;
  }

  @Override
  public BatchProcessorConfig defaultConfig() {
    return BatchProcessorConfig.defaults();
  }

  @Override
  public TraceProcessor create(BatchProcessorConfig config, ProcessorSettings settings) {
    return ProcessResult::of;
  }
}
