package dev.genainormalizer.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints runs as columns, one measure per row: how the benchmarks put batching off and on side by
 * side.
 */
final class SideBySide<R> {
  private final List<R> runs;
  private final int labelWidth;

  SideBySide(List<R> runs, int labelWidth) {
    this.runs = List.copyOf(runs);
    this.labelWidth = labelWidth;
  }

  /**
   * One row: {@code label}, then {@code value} of each run in {@code format} (e.g. {@code %14.0f}).
   */
  SideBySide<R> row(String label, String format, Function<R, Object> value) {
    final StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "%-" + labelWidth + "s", label));
    for (R run : runs) {
      line.append(String.format(Locale.ROOT, format, value.apply(run)));
    }
    System.out.println(line);
    return this;
  }
}
