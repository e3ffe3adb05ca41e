package dev.genainormalizer.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** The chart under test, rendered and linted through Helm's own library (helm-java). */
final class ChartFixture {
  static final String RELEASE = "genai-normalizer";
  static final String NAMESPACE = "observability";

  private ChartFixture() {}

  /** charts/genai-normalizer; surefire runs with the module directory as working directory. */
  static Path chartDir() {
    final Path dir = moduleDir().resolve("genai-normalizer");
    if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no chart at " + dir.toAbsolutePath());
    }
    return dir;
  }

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** The repository root (the parent of the charts module). */
  static Path repoDir() {
    return moduleDir().getParent();
  }

  /** ci/*-values.yaml by case name ("default" for ci/default-values.yaml), sorted. */
  static Map<String, Path> ciCases() {
    final Map<String, Path> cases = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(chartDir().resolve("ci"))) {
      files
          .filter(f -> f.getFileName().toString().endsWith("-values.yaml"))
          .sorted()
          .forEach(f -> cases.put(f.getFileName().toString().replace("-values.yaml", ""), f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  /** {@code helm template} with the given values files (in order) and --set pairs. */
  static String template(List<Path> valuesFiles, Map<String, Object> sets) {
    final TemplateCommand command =
        new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      command.withValuesFile(file);
    }
    sets.forEach(command::set);
    return command.call();
  }

  static Manifests render(Path valuesFile) {
    return Manifests.parse(
        template(valuesFile == null ? List.of() : List.of(valuesFile), Map.of()));
  }

  static Manifests render(Map<String, Object> sets) {
    return Manifests.parse(template(List.of(), sets));
  }

  /** Writes values YAML to a temporary file (for values --set cannot express, such as null). */
  static Path valuesFile(Path dir, String name, String yaml) {
    try {
      return Files.writeString(dir.resolve(name), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code helm lint --strict}, with the given values layered over the chart's defaults.
   * helm-java's lint takes no values file, so the chart is copied and its values.yaml replaced by
   * the merged values, merged as Helm merges them (maps deep-merge, other values replace, null
   * deletes).
   */
  static LintResult lint(Path valuesFile, Path workDir) {
    final Path copy = workDir.resolve("genai-normalizer");
    copyTree(chartDir(), copy);
    if (valuesFile != null) {
      final Map<String, Object> merged =
          coalesce(readYamlMap(chartDir().resolve("values.yaml")), readYamlMap(valuesFile));
      try {
        Files.writeString(copy.resolve("values.yaml"), dumper().dump(merged));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Helm(copy).lint().strict().call();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> coalesce(Map<String, Object> base, Map<String, Object> overlay) {
    final Map<String, Object> out = new LinkedHashMap<>(base);
    overlay.forEach(
        (key, value) -> {
          if (value == null) {
            out.remove(key);
          } else if (value instanceof Map<?, ?> m && out.get(key) instanceof Map<?, ?> b) {
            out.put(key, coalesce((Map<String, Object>) b, (Map<String, Object>) m));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  static Map<String, Object> readYamlMap(Path file) {
    try {
      final Object loaded = yaml().load(Files.readString(file));
      if (loaded == null) {
        return Map.of();
      }
      if (!(loaded instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(file + ": not a YAML map");
      }
      @SuppressWarnings("unchecked")
      final Map<String, Object> map = (Map<String, Object>) loaded;
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static Yaml dumper() {
    final DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      final List<Path> all = new ArrayList<>(paths.toList());
      for (Path source : all) {
        final Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
