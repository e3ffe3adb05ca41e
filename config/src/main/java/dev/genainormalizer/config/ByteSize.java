package dev.genainormalizer.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written in YAML as an integer ({@code 1048576}) or with a unit: decimal {@code
 * kB MB GB TB} (powers of 1000) or binary {@code KiB MiB GiB TiB} (powers of 1024; the Kubernetes
 * forms {@code Ki Mi Gi Ti} too). Units are case-insensitive; a fraction is allowed ({@code
 * 1.5GiB}) and rounds down to whole bytes. Config records may use it as a field type.
 *
 * @param bytes the size in bytes, {@code >= 0}
 */
public record ByteSize(long bytes) {
  public static final String EXPECTED = "a size in bytes such as 1048576, 512KiB, 800MB or 1GiB";

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([A-Za-z]*)");

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  /**
   * Parses {@code 1048576}, {@code 512KiB}, {@code 800MB}, {@code 1GiB}, {@code 1.5Gi}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static ByteSize parse(String text) {
    final Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' (expected: " + EXPECTED + ")");
    }
    final long unit = unit(m.group(2));
    if (unit < 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "': unknown unit '"
              + m.group(2)
              + "' (expected: B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)");
    }
    final BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "'" + text + "' (expected: at most " + Long.MAX_VALUE + " bytes)");
    }
    return new ByteSize(bytes.longValue());
  }

  private static long unit(String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "":
      case "b":
        return 1L;
      case "k":
      case "kb":
        return 1_000L;
      case "m":
      case "mb":
        return 1_000_000L;
      case "g":
      case "gb":
        return 1_000_000_000L;
      case "t":
      case "tb":
        return 1_000_000_000_000L;
      case "ki":
      case "kib":
        return 1L << 10;
      case "mi":
      case "mib":
        return 1L << 20;
      case "gi":
      case "gib":
        return 1L << 30;
      case "ti":
      case "tib":
        return 1L << 40;
      default:
        return -1L;
    }
  }

  /**
   * The largest exact binary unit, e.g. {@code 512MiB}, else plain bytes; {@link #parse} reads it
   * back.
   */
  @Override
  public String toString() {
    final String[] units = {"TiB", "GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      final long size = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % size == 0) {
        return bytes / size + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
