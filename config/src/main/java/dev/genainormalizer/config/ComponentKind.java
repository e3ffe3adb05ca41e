package dev.genainormalizer.config;

/** The three kinds of pipeline component, named as their top-level YAML section. */
public enum ComponentKind {
  RECEIVER("receivers"),
  PROCESSOR("processors"),
  EXPORTER("exporters");

  private final String section;

  ComponentKind(String section) {
    this.section = section;
  }

  /** The YAML section that holds components of this kind, e.g. {@code exporters}. */
  public String section() {
    return section;
  }
}
