package dev.genainormalizer.processor.kong;

import dev.genainormalizer.config.Validatable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code processors.kong}: which spans are Kong infrastructure, and how long to wait for the rest
 * of a trace split across export batches.
 *
 * @param dropSpanNames span names treated as infrastructure (when the span is not a Gen AI span):
 *     each entry is a name prefix, or {@code regex:<pattern>} matched against the whole name;
 *     default {@code [regex:kong, kong.]}, i.e. exactly {@code kong} or starting with {@code kong.}
 * @param traceWait how long spans whose ancestry is incomplete are held, and how long a trace's
 *     span ids are remembered to recognise retried batches; default 2s; 0 means never hold
 * @param maxPendingTraces traces tracked at once (holding spans or remembering ids); the oldest is
 *     emitted early when exceeded; default 10000
 * @param maxPendingBytes approximate memory for tracked traces; the oldest is emitted early when
 *     exceeded; default 64 MiB
 */
public record KongProcessorConfig(
    List<String> dropSpanNames, Duration traceWait, int maxPendingTraces, long maxPendingBytes)
    implements Validatable {

  /** Prefix of a {@code drop_span_names} entry that is a regular expression. */
  public static final String REGEX_PREFIX = "regex:";

  public static final List<String> DEFAULT_DROP_SPAN_NAMES = List.of("regex:kong", "kong.");
  public static final Duration DEFAULT_TRACE_WAIT = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_PENDING_TRACES = 10_000;
  public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;

  public KongProcessorConfig {
    // Keeps null entries (unlike List.copyOf) so validate() can name them instead of throwing.
    dropSpanNames =
        dropSpanNames == null
            ? DEFAULT_DROP_SPAN_NAMES
            : Collections.unmodifiableList(new ArrayList<>(dropSpanNames));
    traceWait = traceWait == null ? DEFAULT_TRACE_WAIT : traceWait;
  }

  public static KongProcessorConfig defaults() {
    return new KongProcessorConfig(
        DEFAULT_DROP_SPAN_NAMES,
        DEFAULT_TRACE_WAIT,
        DEFAULT_MAX_PENDING_TRACES,
        DEFAULT_MAX_PENDING_BYTES);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    for (int i = 0; i < dropSpanNames.size(); i++) {
      final String entry = dropSpanNames.get(i);
      final String key = "drop_span_names[" + i + "]";
      if (entry == null || entry.isEmpty()) {
        errors.add(key + ": empty (expected: a name prefix or regex:<pattern>)");
      } else if (entry.startsWith(REGEX_PREFIX)) {
        final String regex = entry.substring(REGEX_PREFIX.length());
        if (regex.isEmpty()) {
          errors.add(key + ": empty regex (expected: regex:<pattern>)");
        } else {
          try {
            Pattern.compile(regex);
          } catch (PatternSyntaxException e) {
            errors.add(
                key
                    + ": invalid regex '"
                    + regex
                    + "' ("
                    + e.getDescription()
                    + " near index "
                    + e.getIndex()
                    + ")");
          }
        }
      }
    }
    if (traceWait.isNegative()) {
      errors.add("trace_wait: " + traceWait + " (expected: >= 0)");
    }
    if (maxPendingTraces < 1) {
      errors.add("max_pending_traces: " + maxPendingTraces + " (expected: >= 1)");
    }
    if (maxPendingBytes < 1) {
      errors.add("max_pending_bytes: " + maxPendingBytes + " (expected: >= 1)");
    }
    return errors;
  }
}
