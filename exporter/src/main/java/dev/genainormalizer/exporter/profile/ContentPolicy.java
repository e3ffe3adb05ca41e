package dev.genainormalizer.exporter.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether an exporter sends prompt and completion text. {@code drop} removes the message attributes
 * and every text field a profile derives from them, after mapping, and keeps tokens, model, timing
 * and status. YAML: {@code content: keep | drop}.
 */
public enum ContentPolicy {
  KEEP,
  DROP;

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code keep}/{@code drop} in any case; anything else is a binding error naming the
   * choices.
   */
  @JsonCreator
  public static ContentPolicy of(String value) {
    for (ContentPolicy p : values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("content: " + value + " (expected: keep or drop)");
  }
}
