package dev.genainormalizer.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sending_queue}, shared by every exporter: a bounded in-memory queue of batches.
 *
 * @param queueSize batches the queue holds before it drops new ones; default 1000
 * @param numConsumers batches sent concurrently; default 10
 */
public record QueueConfig(int queueSize, int numConsumers) implements Validatable {

  public static QueueConfig defaults() {
    return new QueueConfig(1000, 10);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (queueSize < 1) {
      errors.add("queue_size: " + queueSize + " (expected: >= 1)");
    }
    if (numConsumers < 1) {
      errors.add("num_consumers: " + numConsumers + " (expected: >= 1)");
    }
    return errors;
  }
}
