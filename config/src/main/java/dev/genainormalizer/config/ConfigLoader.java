package dev.genainormalizer.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genainormalizer.config.internal.Binder;
import dev.genainormalizer.config.internal.ConfigObjectMapper;
import dev.genainormalizer.config.internal.Durations;
import dev.genainormalizer.config.internal.Expander;
import dev.genainormalizer.config.internal.LineIndex;
import dev.genainormalizer.config.internal.YamlPath;
import dev.genainormalizer.config.internal.YamlTree;
import dev.genainormalizer.config.internal.YamlTreeReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a YAML config into a {@link NormalizerConfig}: expands {@code ${env:…}} and {@code
 * ${file:…}} references, binds each component block on its factory's defaults, checks the
 * pipelines, runs every {@link Validatable} and applies the pipelines' {@code batch} processors to
 * their exporters ({@link PipelineBatching}). All problems are collected and thrown together in one
 * {@link ConfigException}, each with its YAML path and line.
 */
public final class ConfigLoader {
  private static final List<String> SECTIONS =
      List.of("exporters", "processors", "receivers", "service");
  private static final String PIPELINE_TYPE = "traces";
  private final ComponentRegistry registry;
  private final Binder binder;
  private final ConfigValidator validator = new ConfigValidator();

  public ConfigLoader(ComponentRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.binder = new Binder(ConfigObjectMapper.create());
  }

  /**
   * Loads a config from YAML text; relative {@code ${file:}} paths resolve against the working
   * directory.
   *
   * @param sourceName names the text in syntax errors, e.g. {@code "built-in default"}
   * @param env the environment for {@code ${env:}} references, usually {@code System.getenv()}
   * @throws ConfigException listing every problem found
   */
  public NormalizerConfig load(String yamlText, String sourceName, Map<String, String> env)
      throws ConfigException {
    Objects.requireNonNull(yamlText, "yamlText");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(env, "env");
    return load(yamlText, sourceName, new Expander(env, null));
  }

  /**
   * Loads a config file; relative {@code ${file:}} paths resolve against the file's directory.
   *
   * @throws ConfigException listing every problem found, or saying the file cannot be read
   */
  public NormalizerConfig loadFile(Path file, Map<String, String> env) throws ConfigException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    final String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          List.of(new ConfigError("", 0, "config file '" + file + "' does not exist")));
    } catch (MalformedInputException e) {
      throw new ConfigException(
          List.of(new ConfigError("", 0, "config file '" + file + "' is not UTF-8 text")));
    } catch (IOException e) {
      throw new ConfigException(
          List.of(
              new ConfigError(
                  "",
                  0,
                  "cannot read config file '" + file + "': " + e.getClass().getSimpleName())));
    }
    final Path dir = file.toAbsolutePath().getParent();
    return load(text, file.toString(), new Expander(env, dir));
  }

  /**
   * Binds and validates one component block on its factory's defaults, exactly as {@link #load}
   * does for each block of a whole config. Meant for a component's own config tests; error paths
   * start with {@code <section>.<type>} as they would in a whole config, lines count within {@code
   * blockYaml}.
   *
   * @param blockYaml the block's content, e.g. {@code "endpoint: http://x\ntimeout: 5s\n"}; empty
   *     means all defaults
   * @throws ConfigException listing every problem found
   */
  public <C extends Record> C loadComponent(
      ComponentFactory<C> factory, String blockYaml, Map<String, String> env)
      throws ConfigException {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(blockYaml, "blockYaml");
    Objects.requireNonNull(env, "env");
    final String prefix = factory.kind().section() + "." + factory.type();
    final YamlTree tree = YamlTreeReader.read(blockYaml, prefix, new Expander(env, null));
    final List<ConfigError> errors = new ArrayList<>(tree.errors());
    if (!tree.readable()) {
      throw new ConfigException(errors);
    }
    final Binder.Result<C> result =
        binder.bind(
            tree.root(),
            factory.defaultConfig(),
            factory.configType(),
            YamlPath.ROOT,
            tree.lines());
    errors.addAll(result.errors());
    if (errors.isEmpty()) {
      errors.addAll(validator.validate(YamlPath.ROOT, result.value(), tree.lines()::lineOf));
    }
    if (!errors.isEmpty()) {
      final List<ConfigError> prefixed = new ArrayList<>();
      for (ConfigError e : errors) {
        final String path = e.path().isEmpty() ? prefix : prefix + "." + e.path();
        prefixed.add(
            new ConfigError(
                e.path().startsWith("[") ? prefix + e.path() : path, e.line(), e.message()));
      }
      throw sorted(prefixed);
    }
    return result.value();
  }

  private NormalizerConfig load(String text, String sourceName, Expander expander)
      throws ConfigException {
    final YamlTree tree = YamlTreeReader.read(text, sourceName, expander);
    final List<ConfigError> errors = new ArrayList<>(tree.errors());
    if (!tree.readable()) {
      throw new ConfigException(errors);
    }
    final LineIndex lines = tree.lines();
    final JsonNode root = tree.root();
    if (!root.isNull() && !root.isObject()) {
      errors.add(
          new ConfigError(
              "",
              lines.lineOf(YamlPath.ROOT),
              "expected a mapping with the sections " + String.join(", ", SECTIONS)));
      throw sorted(errors);
    }
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      final String key = entry.getKey();
      if (!SECTIONS.contains(key)) {
        final YamlPath path = YamlPath.ROOT.key(key);
        errors.add(
            new ConfigError(
                path.toString(),
                lines.lineOf(path),
                "unknown key (expected one of: " + String.join(", ", SECTIONS) + ")"));
      }
    }
    // Paths with a syntax or expansion error: their blocks are not validated, so that a value that
    // failed to expand is not reported a second time as "required".
    final List<String> broken = new ArrayList<>();
    for (ConfigError e : tree.errors()) {
      broken.add(e.path());
    }

    final Map<ComponentKind, Map<ComponentId, Record>> bound = new EnumMap<>(ComponentKind.class);
    final Map<ComponentKind, Set<ComponentId>> defined = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      bound.put(kind, new LinkedHashMap<>());
      defined.put(kind, new LinkedHashSet<>());
      bindSection(
          kind,
          root.get(kind.section()),
          lines,
          bound.get(kind),
          defined.get(kind),
          broken,
          errors);
    }
    final ServiceConfig service = bindService(root.get("service"), lines, defined, broken, errors);
    Map<ComponentId, Record> exporters = bound.get(ComponentKind.EXPORTER);
    if (service != null) {
      final PipelineBatching.Result batching =
          PipelineBatching.apply(
              bound.get(ComponentKind.PROCESSOR), exporters, service.pipelines(), lines);
      errors.addAll(batching.errors());
      exporters = batching.exporters();
    }
    if (!errors.isEmpty()) {
      throw sorted(errors);
    }
    return new NormalizerConfig(
        bound.get(ComponentKind.RECEIVER), bound.get(ComponentKind.PROCESSOR), exporters, service);
  }

  private void bindSection(
      ComponentKind kind,
      JsonNode section,
      LineIndex lines,
      Map<ComponentId, Record> bound,
      Set<ComponentId> defined,
      List<String> broken,
      List<ConfigError> errors) {
    final YamlPath sectionPath = YamlPath.ROOT.key(kind.section());
    if (section == null || section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      errors.add(
          new ConfigError(
              sectionPath.toString(),
              lines.lineOf(sectionPath),
              "expected a mapping of " + singular(kind) + " ids to their settings"));
      return;
    }
    for (Map.Entry<String, JsonNode> entry : section.properties()) {
      final YamlPath path = sectionPath.key(entry.getKey());
      final ComponentId id;
      try {
        id = ComponentId.parse(entry.getKey());
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError(path.toString(), lines.lineOf(path), e.getMessage()));
        continue;
      }
      defined.add(id);
      final ComponentFactory<?> factory = registry.find(kind, id.type()).orElse(null);
      if (factory == null) {
        errors.add(
            new ConfigError(path.toString(), lines.lineOf(path), unknownType(kind, id.type())));
        continue;
      }
      final Record defaults;
      try {
        defaults = factory.defaultConfig();
      } catch (RuntimeException e) {
        errors.add(
            new ConfigError(
                path.toString(),
                lines.lineOf(path),
                "the "
                    + singular(kind)
                    + " type '"
                    + id.type()
                    + "' failed to build its defaults ("
                    + e.getClass().getSimpleName()
                    + ")"));
        continue;
      }
      final Binder.Result<? extends Record> result =
          binder.bind(entry.getValue(), defaults, factory.configType(), path, lines);
      errors.addAll(result.errors());
      if (!result.ok()) {
        continue;
      }
      bound.put(id, result.value());
      if (!isBroken(path, broken)) {
        errors.addAll(validator.validate(path, result.value(), lines::lineOf));
      }
    }
  }

  private ServiceConfig bindService(
      JsonNode node,
      LineIndex lines,
      Map<ComponentKind, Set<ComponentId>> defined,
      List<String> broken,
      List<ConfigError> errors) {
    final YamlPath path = YamlPath.ROOT.key("service");
    final Binder.Result<ServiceSection> result =
        binder.bind(node, ServiceSection.defaults(), ServiceSection.class, path, lines);
    errors.addAll(result.errors());
    final ServiceSection section = result.value();
    if (section == null) {
      return null;
    }
    // Pipelines that bound cleanly are still checked when another part of the section did not, so
    // one typo does not hide the other mistakes.
    final List<String> unbound = new ArrayList<>(broken);
    result.errors().forEach(e -> unbound.add(e.path()));
    if (section.shutdownTimeout().isNegative() || section.shutdownTimeout().isZero()) {
      final YamlPath p = path.key("shutdown_timeout");
      errors.add(
          new ConfigError(
              p.toString(),
              lines.lineOf(p),
              Durations.format(section.shutdownTimeout()) + " (expected: > 0)"));
    }
    final String admin = section.telemetry().admin().endpoint();
    if (HostPort.parse(admin).isEmpty()) {
      final YamlPath p = path.key("telemetry").key("admin").key("endpoint");
      errors.add(
          new ConfigError(
              p.toString(),
              lines.lineOf(p),
              "'" + admin + "' (expected: " + HostPort.EXPECTED + ", e.g. 0.0.0.0:8888)"));
    }
    checkPipelines(section.pipelines(), path.key("pipelines"), lines, defined, unbound, errors);
    final ServiceConfig service = section.toServiceConfig();
    if (!isBroken(path, unbound)) {
      errors.addAll(validator.validate(path, service, lines::lineOf));
    }
    return result.ok() ? service : null;
  }

  private static void checkPipelines(
      Map<String, PipelineConfig> pipelines,
      YamlPath path,
      LineIndex lines,
      Map<ComponentKind, Set<ComponentId>> defined,
      List<String> unbound,
      List<ConfigError> errors) {
    if (unbound.contains(path.toString())) {
      // The pipelines block itself did not bind; "no pipeline" would be a false report.
      return;
    }
    if (pipelines.isEmpty()) {
      errors.add(
          new ConfigError(
              path.toString(), lines.lineOf(path), "at least one pipeline is required"));
      return;
    }
    for (Map.Entry<String, PipelineConfig> entry : pipelines.entrySet()) {
      final YamlPath pipelinePath = path.key(entry.getKey());
      if (!validPipelineId(entry.getKey())) {
        errors.add(
            new ConfigError(
                pipelinePath.toString(),
                lines.lineOf(pipelinePath),
                "unsupported pipeline '"
                    + entry.getKey()
                    + "': only traces pipelines exist"
                    + " (expected: traces or traces/<name>)"));
        continue;
      }
      if (isBroken(pipelinePath, unbound)) {
        continue;
      }
      final PipelineConfig pipeline = entry.getValue();
      checkIds(ComponentKind.RECEIVER, pipeline.receivers(), pipelinePath, lines, defined, errors);
      checkIds(
          ComponentKind.PROCESSOR, pipeline.processors(), pipelinePath, lines, defined, errors);
      checkIds(ComponentKind.EXPORTER, pipeline.exporters(), pipelinePath, lines, defined, errors);
    }
  }

  private static boolean validPipelineId(String id) {
    try {
      return ComponentId.parse(id).type().equals(PIPELINE_TYPE);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkIds(
      ComponentKind kind,
      List<ComponentId> ids,
      YamlPath pipelinePath,
      LineIndex lines,
      Map<ComponentKind, Set<ComponentId>> defined,
      List<ConfigError> errors) {
    final YamlPath listPath = pipelinePath.key(kind.section());
    if (ids.isEmpty() && kind != ComponentKind.PROCESSOR) {
      errors.add(
          new ConfigError(
              listPath.toString(),
              lines.lineOf(listPath),
              "at least one " + singular(kind) + " is required"));
      return;
    }
    final Map<ComponentId, Integer> seen = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      final ComponentId id = ids.get(i);
      final YamlPath itemPath = listPath.index(i);
      final Integer first = seen.putIfAbsent(id, i);
      if (first != null) {
        errors.add(
            new ConfigError(
                itemPath.toString(),
                lines.lineOf(itemPath),
                singular(kind)
                    + " '"
                    + id
                    + "' is listed twice (first at "
                    + listPath
                    + "["
                    + first
                    + "])"));
      } else if (!defined.get(kind).contains(id)) {
        errors.add(
            new ConfigError(
                itemPath.toString(),
                lines.lineOf(itemPath),
                singular(kind) + " '" + id + "' is not defined in " + kind.section()));
      }
    }
  }

  private String unknownType(ComponentKind kind, String type) {
    final Set<String> types = registry.types(kind);
    return "unknown "
        + singular(kind)
        + " type '"
        + type
        + "' ("
        + (types.isEmpty()
            ? "no " + singular(kind) + " types are installed"
            : "expected one of: " + String.join(", ", types))
        + ")";
  }

  private static String singular(ComponentKind kind) {
    final String section = kind.section();
    return section.substring(0, section.length() - 1);
  }

  private static boolean isBroken(YamlPath block, List<String> broken) {
    final String prefix = block.toString();
    for (String p : broken) {
      if (p.equals(prefix) || p.startsWith(prefix + ".") || p.startsWith(prefix + "[")) {
        return true;
      }
    }
    return false;
  }

  private static ConfigException sorted(List<ConfigError> errors) {
    final List<ConfigError> copy = new ArrayList<>(errors);
    // By line, errors without a line last; the sort is stable, so same-line errors keep their
    // order.
    copy.sort(
        Comparator.comparingInt((ConfigError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line()));
    return new ConfigException(copy);
  }
}
