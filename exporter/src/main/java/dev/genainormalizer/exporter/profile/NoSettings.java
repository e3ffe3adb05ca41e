package dev.genainormalizer.exporter.profile;

/** Settings of a profile that has none ({@code genai}, {@code openllmetry}, {@code dynatrace}). */
public record NoSettings() {
  public static NoSettings defaults() {
    return new NoSettings();
  }
}
