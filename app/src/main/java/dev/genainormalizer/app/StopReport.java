package dev.genainormalizer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stop left unsent, summed over the exporters (a span two exporters dropped counts twice).
 *
 * @param droppedSpans in-memory queues: spans not sent by the deadline, lost
 * @param spansLeftOnDisk disk queues: spans not sent by the deadline, sent by the next run
 * @param heldSpansNotQueued spans a processor held until the stop that an exporter could not queue
 * @param unfinishedExporters exporters that failed to stop or had not reported by the deadline:
 *     their counts are unknown
 */
public record StopReport(
    long droppedSpans,
    long spansLeftOnDisk,
    long heldSpansNotQueued,
    List<String> unfinishedExporters) {
  public StopReport {
    unfinishedExporters = List.copyOf(unfinishedExporters);
  }

  /** True only when every span the service acknowledged was sent. */
  public boolean everySpanSent() {
    return droppedSpans == 0
        && spansLeftOnDisk == 0
        && heldSpansNotQueued == 0
        && unfinishedExporters.isEmpty();
  }

  /**
   * The final log line, {@code took} after the stop was requested: true in every part, "every
   * queued span was sent" only when that is so.
   */
  String summary(Duration took) {
    final String prefix = "genai-normalizer stopped in " + Shutdown.seconds(took) + ": ";
    if (everySpanSent()) {
      return prefix + "every queued span was sent";
    }
    final List<String> parts = new ArrayList<>();
    if (droppedSpans > 0) {
      parts.add(droppedSpans + " spans dropped (not sent)");
    }
    if (spansLeftOnDisk > 0) {
      parts.add(spansLeftOnDisk + " spans left in disk queues for the next run");
    }
    if (heldSpansNotQueued > 0) {
      parts.add(heldSpansNotQueued + " held spans could not be queued (dropped)");
    }
    if (!unfinishedExporters.isEmpty()) {
      parts.add("exporters " + unfinishedExporters + " did not report (their counts are unknown)");
    }
    return prefix + String.join(", ", parts);
  }
}
