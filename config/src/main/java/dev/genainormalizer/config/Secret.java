package dev.genainormalizer.config;

import java.util.Objects;

/** A secret config value (API key, password, token); {@link #toString()} never reveals it. */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "[REDACTED]";
  }
}
