package dev.genainormalizer.app;

import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigError;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the command line and runs one command. Exit codes: 0 success, 1 invalid config or failed
 * start, 2 bad command line.
 */
final class Cli {
  static final String USAGE =
      String.join(
          "\n",
          "usage: genai-normalizer <command> [options]",
          "",
          "commands:",
          "  run [--config FILE]       run the service (without --config: the built-in default,",
          "                            OTLP on 4317/4318, kong + genai processors, debug exporter)",
          "  validate [--config FILE]  check a config; print every error and exit 1, or exit 0",
          "  map [--config FILE] [--exporter ID] [--explain] [FILE|-]",
          "                            dry run, no network: read OTLP JSON or protobuf (default",
          "                            stdin), run the pipelines, print per exporter the exact",
          "                            requests it would send (target, body as OTLP JSON);",
          "                            --explain adds what happened to each input span",
          "  print-default-config      print the built-in default config",
          "  version                   print the version",
          "  help                      print this text",
          "");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final InputStream in;

  Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this(out, err, env, System.in);
  }

  Cli(PrintStream out, PrintStream err, Map<String, String> env, InputStream in) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.in = in;
  }

  int execute(String[] args) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    final String command = args[0];
    final List<String> rest = List.of(args).subList(1, args.length);
    switch (command) {
      case "help", "--help", "-h" -> {
        out.print(USAGE);
        return 0;
      }
      case "version", "--version" -> {
        out.println("genai-normalizer " + version());
        return 0;
      }
      case "print-default-config" -> {
        out.print(defaultConfigText());
        return 0;
      }
      case "validate", "run" -> {
        final Path configFile;
        try {
          configFile = parseConfigOption(rest);
        } catch (IllegalArgumentException e) {
          err.println("genai-normalizer " + command + ": " + e.getMessage());
          err.print(USAGE);
          return 2;
        }
        return command.equals("validate") ? validate(configFile) : run(configFile);
      }
      case "map" -> {
        return map(rest);
      }
      default -> {
        err.println("genai-normalizer: unknown command '" + command + "'");
        err.print(USAGE);
        return 2;
      }
    }
  }

  private static Path parseConfigOption(List<String> args) {
    Path config = null;
    for (int i = 0; i < args.size(); i++) {
      final String arg = args.get(i);
      if (arg.equals("--config") || arg.equals("-c")) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(arg + " needs a file");
        }
        config = Path.of(args.get(++i));
      } else if (arg.startsWith("--config=")) {
        config = Path.of(arg.substring("--config=".length()));
      } else {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return config;
  }

  private int map(List<String> args) {
    Path configFile = null;
    String exporter = null;
    boolean explain = false;
    String input = "-";
    boolean inputSeen = false;
    for (int i = 0; i < args.size(); i++) {
      final String arg = args.get(i);
      if ((arg.equals("--config") || arg.equals("-c") || arg.equals("--exporter"))
          && i + 1 >= args.size()) {
        err.println("genai-normalizer map: " + arg + " needs a value");
        err.print(USAGE);
        return 2;
      }
      if (arg.equals("--config") || arg.equals("-c")) {
        configFile = Path.of(args.get(++i));
      } else if (arg.startsWith("--config=")) {
        configFile = Path.of(arg.substring("--config=".length()));
      } else if (arg.equals("--exporter")) {
        exporter = args.get(++i);
      } else if (arg.startsWith("--exporter=")) {
        exporter = arg.substring("--exporter=".length());
      } else if (arg.equals("--explain")) {
        explain = true;
      } else if ((arg.equals("-") || !arg.startsWith("-")) && !inputSeen) {
        input = arg;
        inputSeen = true;
      } else {
        err.println("genai-normalizer map: unknown option '" + arg + "'");
        err.print(USAGE);
        return 2;
      }
    }
    final NormalizerConfig config = load(configFile);
    if (config == null) {
      return 1;
    }
    final String only = exporter;
    if (only != null
        && config.exporters().keySet().stream().noneMatch(id -> id.toString().equals(only))) {
      err.println(
          "genai-normalizer map: no exporter '"
              + exporter
              + "' in "
              + describe(configFile)
              + " (expected one of "
              + config.exporters().keySet()
              + ")");
      return 1;
    }
    final byte[] bytes;
    try {
      bytes =
          input.equals("-") ? in.readAllBytes() : java.nio.file.Files.readAllBytes(Path.of(input));
    } catch (IOException e) {
      err.println(
          "genai-normalizer map: cannot read "
              + (input.equals("-") ? "stdin" : input)
              + ": "
              + e.getMessage());
      return 1;
    }
    final io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request;
    try {
      request = MapCommand.parse(bytes);
    } catch (IOException | RuntimeException e) {
      err.println(
          "genai-normalizer map: "
              + (input.equals("-") ? "stdin" : input)
              + " is neither OTLP/JSON nor OTLP protobuf (ExportTraceServiceRequest): "
              + e.getMessage());
      return 1;
    }
    try {
      out.print(
          new MapCommand(config, ComponentRegistry.loadInstalled())
              .run(request, exporter, explain));
      out.flush();
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("genai-normalizer map: " + rootMessage(e));
      return 1;
    }
  }

  private int validate(Path configFile) {
    final NormalizerConfig config = load(configFile);
    if (config == null) {
      return 1;
    }
    out.println(
        describe(configFile)
            + " is valid: "
            + config.service().pipelines().size()
            + " pipeline(s)");
    return 0;
  }

  private int run(Path configFile) {
    final NormalizerConfig config = load(configFile);
    if (config == null) {
      return 1;
    }
    LogFormatSwitch.apply(config.service().telemetry().logs().format());
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    final NormalizerService service;
    try {
      service =
          NormalizerService.create(config, ComponentRegistry.loadInstalled(), meters, Clock.SYSTEM);
      service.start();
    } catch (RuntimeException e) {
      err.println("genai-normalizer: failed to start: " + rootMessage(e));
      return 1;
    }
    final ShutdownSignals signals =
        new ShutdownSignals(config.service().shutdownTimeout(), Clock.SYSTEM).install();
    try {
      service.stop(signals.awaitRequest());
    } catch (RuntimeException e) {
      // Exit all the same: returning lets main() end the JVM, whose server threads would keep it
      // up.
      err.println("genai-normalizer: stopping failed: " + rootMessage(e));
      return 1;
    } finally {
      signals.stopped();
    }
    return 0;
  }

  /** Loads and validates; prints every error and returns null when there are any. */
  private NormalizerConfig load(Path configFile) {
    final ConfigLoader loader = new ConfigLoader(ComponentRegistry.loadInstalled());
    try {
      return configFile == null
          ? loader.load(defaultConfigText(), "built-in default config", env)
          : loader.loadFile(configFile, env);
    } catch (ConfigException e) {
      final List<ConfigError> errors = new ArrayList<>(e.errors());
      err.println(describe(configFile) + ": " + errors.size() + " error(s)");
      for (ConfigError error : errors) {
        err.println("  " + error);
      }
      return null;
    }
  }

  private static String describe(Path configFile) {
    return configFile == null ? "built-in default config" : configFile.toString();
  }

  static String defaultConfigText() {
    try (InputStream in = Cli.class.getResourceAsStream("/default-config.yaml")) {
      if (in == null) {
        throw new IllegalStateException("default-config.yaml is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in default config", e);
    }
  }

  static String version() {
    final String v = Cli.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
  }
}
