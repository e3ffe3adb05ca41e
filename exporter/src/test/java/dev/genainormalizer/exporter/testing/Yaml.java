package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Loads a component's {@code testdata/*.yaml} through the real config loader (C5). */
public final class Yaml {
  private Yaml() {}

  public static <C extends Record> C load(ComponentFactory<C> factory, Class<?> test, String name,
      Map<String, String> env) throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(factory)))
        .loadComponent(factory, read(test, "testdata/" + name), env);
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
