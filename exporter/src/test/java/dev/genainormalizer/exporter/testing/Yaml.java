package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Loads a component's YAML ({@code testdata/*.yaml} or text) through the real config loader (C5).
 */
public final class Yaml {
  private Yaml() {}

  public static <C extends Record> C load(
      ComponentFactory<C> factory, Class<?> test, String name, Map<String, String> env)
      throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(factory)))
        .loadComponent(factory, read(test, "testdata/" + name), env);
  }

  /**
   * Binds a YAML block given as text, as the service binds an exporter's block; fails the test with
   * the loader's error lines when it does not load.
   */
  public static <C extends Record> C parse(ComponentFactory<C> factory, String blockYaml) {
    try {
      return new ConfigLoader(ComponentRegistry.of(List.of(factory)))
          .loadComponent(factory, blockYaml, Map.of());
    } catch (ConfigException e) {
      throw new AssertionError("this YAML did not load:\n" + blockYaml + "\n" + e.getMessage(), e);
    }
  }

  /** The exporter the service would build from this YAML block. */
  public static <C extends Record> TraceExporter exporter(
      ExporterFactory<C> factory, String blockYaml, ExporterSettings settings) {
    return factory.create(parse(factory, blockYaml), settings);
  }

  /** The loader's error lines ({@code path: message (line n)}) for a file that must fail. */
  public static List<String> errors(ComponentFactory<?> factory, Class<?> test, String name) {
    try {
      load(factory, test, name, Map.of());
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError("testdata/" + name + " loaded without errors");
  }

  private static String read(Class<?> test, String resource) {
    try (InputStream in = test.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no " + resource + " beside " + test.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
