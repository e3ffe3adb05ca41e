package dev.genainormalizer.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus text exposition parsed into samples, so tests compare label sets, not label order. */
final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {
    boolean has(Map<String, String> subset) {
      return labels.entrySet().containsAll(subset.entrySet());
    }
  }

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private PrometheusText() {}

  static List<Sample> parse(String text) {
    final List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      final Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      final Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        final Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return out;
  }

  /**
   * Parses a line as Kong's spec writes it, e.g. {@code ai_llm_requests_total{ai_provider="openai"}
   * 1}.
   */
  static Sample line(String line) {
    return parse(line).get(0);
  }

  /** The sum of every sample named {@code name} whose labels include {@code subset}. */
  static double sum(List<Sample> samples, String name, Map<String, String> subset) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.has(subset))
        .mapToDouble(Sample::value)
        .sum();
  }
}
