package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.config.ComponentFactory;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.pipeline.MemoryBudget;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * Config-test support for the vendor exporters, whose testdata reads secrets from the environment.
 */
public final class VendorConfigs {
  private VendorConfigs() {}

  /** The loader's error lines for a file that must fail, with {@code env} for its ${env:…}. */
  public static List<String> errors(
      ComponentFactory<?> factory, Class<?> test, String name, Map<String, String> env) {
    try {
      Yaml.load(factory, test, name, env);
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError("testdata/" + name + " loaded without errors");
  }

  /** The whole message of the loader's exception, as start-up and {@code validate} print it. */
  public static String message(
      ComponentFactory<?> factory, Class<?> test, String name, Map<String, String> env) {
    try {
      Yaml.load(factory, test, name, env);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("testdata/" + name + " loaded without errors");
  }

  public static ExporterSettings settings(String id) {
    return new ExporterSettings(
        ComponentId.parse(id), new SimpleMeterRegistry(), Clock.SYSTEM, MemoryBudget.unlimited());
  }
}
