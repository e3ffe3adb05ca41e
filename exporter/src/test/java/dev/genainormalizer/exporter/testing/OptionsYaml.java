package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.config.BatchConfig;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.internal.Durations;
import dev.genainormalizer.exporter.helper.Compression;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link ExporterOptions} as the public YAML keys every exporter shares, so contract tests
 * build exporters from text as a user does and never depend on a config record's shape.
 */
public final class OptionsYaml {
  private OptionsYaml() {}

  /**
   * {@code compression}, {@code timeout}, {@code retry_on_failure} and {@code sending_queue},
   * indented.
   */
  public static String common(ExporterOptions o, String indent) {
    final StringBuilder y = new StringBuilder();
    y.append(indent)
        .append("compression: ")
        .append(o.compression() == Compression.GZIP ? "gzip" : "none")
        .append('\n');
    y.append(indent).append("timeout: ").append(duration(o.timeout())).append('\n');
    retry(y, o.retry(), indent);
    queue(y, o.queue(), indent);
    return y.toString();
  }

  /** {@code headers}, indented; nothing when there are none. */
  public static String headers(Map<String, Secret> headers, String indent) {
    if (headers.isEmpty()) {
      return "";
    }
    final StringBuilder y = new StringBuilder(indent).append("headers:\n");
    new TreeMap<>(headers)
        .forEach(
            (k, v) ->
                y.append(indent)
                    .append("  ")
                    .append(k)
                    .append(": ")
                    .append(quoted(v.value()))
                    .append('\n'));
    return y.toString();
  }

  /** A YAML double-quoted scalar. */
  public static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static void retry(StringBuilder y, RetryConfig r, String indent) {
    final String in = indent + "  ";
    y.append(indent)
        .append("retry_on_failure:\n")
        .append(in)
        .append("enabled: ")
        .append(r.enabled())
        .append('\n')
        .append(in)
        .append("initial_interval: ")
        .append(duration(r.initialInterval()))
        .append('\n')
        .append(in)
        .append("max_interval: ")
        .append(duration(r.maxInterval()))
        .append('\n')
        .append(in)
        .append("max_elapsed_time: ")
        .append(duration(r.maxElapsedTime()))
        .append('\n')
        .append(in)
        .append("multiplier: ")
        .append(r.multiplier())
        .append('\n')
        .append(in)
        .append("randomization_factor: ")
        .append(r.randomizationFactor())
        .append('\n');
  }

  private static void queue(StringBuilder y, QueueConfig q, String indent) {
    final String in = indent + "  ";
    y.append(indent)
        .append("sending_queue:\n")
        .append(in)
        .append("queue_size: ")
        .append(q.queueSize())
        .append('\n')
        .append(in)
        .append("num_consumers: ")
        .append(q.numConsumers())
        .append('\n')
        .append(in)
        .append("storage: ")
        .append(lower(q.storage()))
        .append('\n');
    if (q.isDisk()) {
      y.append(in)
          .append("directory: ")
          .append(quoted(q.directory()))
          .append('\n')
          .append(in)
          .append("max_bytes: ")
          .append(q.maxBytes().bytes())
          .append('\n')
          .append(in)
          .append("fsync: ")
          .append(lower(q.fsync()))
          .append('\n');
    }
    if (q.onFull() != null) {
      y.append(in).append("on_full: ").append(lower(q.onFull())).append('\n');
    }
    final BatchConfig b = q.batch();
    if (b != null) { // left out, the exporter's default applies, as for a user who leaves it out
      final String bin = in + "  ";
      y.append(in)
          .append("batch:\n")
          .append(bin)
          .append("enabled: ")
          .append(b.enabled())
          .append('\n')
          .append(bin)
          .append("flush_timeout: ")
          .append(duration(b.flushTimeout()))
          .append('\n')
          .append(bin)
          .append("min_size: ")
          .append(b.minSize())
          .append('\n')
          .append(bin)
          .append("max_size: ")
          .append(b.maxSize())
          .append('\n')
          .append(bin)
          .append("sizer: ")
          .append(lower(b.sizer()))
          .append('\n');
    }
  }

  private static String duration(Duration d) {
    return Durations.format(d);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
