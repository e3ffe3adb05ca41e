package dev.genainormalizer.config;

/**
 * The identity of a component type: its YAML type name, its config record and that record's
 * defaults. Kind-specific factories ({@code ProcessorFactory}, {@code ExporterFactory}, {@code
 * ReceiverFactory}) extend this with a {@code create} method and are found through {@link
 * java.util.ServiceLoader}.
 *
 * @param <C> the config record bound from the component's YAML block
 */
public interface ComponentFactory<C extends Record> {

  /** The kind of component this factory creates. */
  ComponentKind kind();

  /** The type name used in YAML ids, e.g. {@code otlphttp} in {@code otlphttp/phoenix}. */
  String type();

  /** The record the component's YAML block is bound to. */
  Class<C> configType();

  /** The config used for keys the user leaves out; the YAML block is overlaid on it. */
  C defaultConfig();
}
