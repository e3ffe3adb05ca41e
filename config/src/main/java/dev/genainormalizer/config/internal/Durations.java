package dev.genainormalizer.config.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations as written in configs: Go-style {@code 250ms}, {@code 5s}, {@code
 * 1m30s}, {@code 1.5h} (units {@code ns us ms s m h}), or ISO-8601 ({@code PT5S}).
 *
 * <p>Internal API: may change without notice.
 */
public final class Durations {
  public static final String EXPECTED = "a duration such as 250ms, 5s, 1m30s or 1h";

  private static final Pattern WHOLE =
      Pattern.compile("[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
  private static final Pattern PART =
      Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    final String s = text.strip();
    if (s.equals("0") || s.equals("-0") || s.equals("+0")) {
      return Duration.ZERO;
    }
    final String unsigned = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    if (unsigned.startsWith("P") || unsigned.startsWith("p")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not " + EXPECTED);
      }
    }
    if (!WHOLE.matcher(s).matches()) {
      throw new IllegalArgumentException("not " + EXPECTED);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    final Matcher m = PART.matcher(unsigned);
    while (m.find()) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPer(m.group(3)))));
    }
    final BigInteger whole = nanos.toBigInteger();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("duration too long (expected: at most 292 years)");
    }
    final Duration d = Duration.ofNanos(whole.longValueExact());
    return s.startsWith("-") ? d.negated() : d;
  }

  /**
   * The shortest exact form {@link #parse} reads back, e.g. {@code 1m30s}, {@code 250ms}, {@code
   * 0s}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    final StringBuilder sb = new StringBuilder();
    append(sb, d.toHours(), "h");
    append(sb, d.toMinutesPart(), "m");
    append(sb, d.toSecondsPart(), "s");
    final int nanos = d.toNanosPart();
    append(sb, nanos / 1_000_000, "ms");
    append(sb, nanos / 1_000 % 1_000, "us");
    append(sb, nanos % 1_000, "ns");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long amount, String unit) {
    if (amount != 0) {
      sb.append(amount).append(unit);
    }
  }

  private static long nanosPer(String unit) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "µs":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      default:
        return 3_600_000_000_000L;
    }
  }
}
