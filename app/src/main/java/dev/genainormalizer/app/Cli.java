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
import java.util.TreeSet;

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
          "  help [COMMAND]            print this text, or that command's usage",
          "",
          "Every command takes --help (or -h): print its usage and exit 0.",
          "");

  private static final String CONFIG_OPTION =
      "  -c, --config FILE  the config file (also --config=FILE); without it, the built-in"
          + " default\n";
  private static final String HELP_OPTION = "  -h, --help         print this text and exit\n";

  /** Each command's usage, printed by {@code <command> --help} and after a bad command line. */
  static final Map<String, String> COMMAND_USAGE =
      Map.of(
          "run",
          "usage: genai-normalizer run [--config FILE]\n\n"
              + "Runs the service until SIGTERM or SIGINT, then drains and exits 0.\n\n"
              + "options:\n"
              + CONFIG_OPTION
              + HELP_OPTION,
          "validate",
          "usage: genai-normalizer validate [--config FILE]\n\n"
              + "Checks a config: prints every error and exits 1, or exits 0.\n\n"
              + "options:\n"
              + CONFIG_OPTION
              + HELP_OPTION,
          "map",
          "usage: genai-normalizer map [--config FILE] [--exporter ID] [--explain] [FILE|-]\n\n"
              + "Dry run, no network: reads OTLP JSON or protobuf from FILE (default: stdin, also\n"
              + "written -), runs the pipelines and prints per exporter the exact requests it\n"
              + "would send.\n\n"
              + "options:\n"
              + CONFIG_OPTION
              + "  --exporter ID      only this exporter (also --exporter=ID)\n"
              + "  --explain          add what happened to each input span\n"
              + HELP_OPTION,
          "print-default-config",
          "usage: genai-normalizer print-default-config\n\n"
              + "Prints the built-in default config.\n\n"
              + "options:\n"
              + HELP_OPTION,
          "version",
          "usage: genai-normalizer version\n\nPrints the version.\n\noptions:\n" + HELP_OPTION,
          "help",
          "usage: genai-normalizer help [COMMAND]\n\n"
              + "Prints the list of commands, or COMMAND's usage.\n\n"
              + "options:\n"
              + HELP_OPTION);

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
    final String command =
        switch (args[0]) {
          case "--help", "-h" -> "help";
          case "--version" -> "version";
          default -> args[0];
        };
    final List<String> rest = List.of(args).subList(1, args.length);
    if (!COMMAND_USAGE.containsKey(command)) {
      err.println("genai-normalizer: unknown command '" + command + "'");
      err.print(USAGE);
      return 2;
    }
    // Before any other parsing, so that "--help" works next to options that would be errors.
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(COMMAND_USAGE.get(command));
      return 0;
    }
    try {
      return switch (command) {
        case "help" -> help(rest);
        case "version" -> {
          noOptions(rest);
          out.println("genai-normalizer " + version());
          yield 0;
        }
        case "print-default-config" -> {
          noOptions(rest);
          out.print(defaultConfigText());
          yield 0;
        }
        case "validate" -> validate(parseConfigOption(rest));
        case "run" -> run(parseConfigOption(rest));
        default -> map(rest);
      };
    } catch (CommandLineException e) {
      err.println("genai-normalizer " + command + ": " + e.getMessage());
      err.print(COMMAND_USAGE.get(command));
      return 2;
    }
  }

  private int help(List<String> args) {
    if (args.isEmpty()) {
      out.print(USAGE);
      return 0;
    }
    final String arg = args.get(0);
    if (arg.startsWith("-")) {
      throw new CommandLineException("unknown option '" + arg + "'");
    }
    if (args.size() > 1) {
      throw new CommandLineException("unexpected argument '" + args.get(1) + "'");
    }
    final String usage = COMMAND_USAGE.get(arg);
    if (usage == null) {
      throw new CommandLineException(
          "unknown command '"
              + arg
              + "' (expected one of "
              + new TreeSet<>(COMMAND_USAGE.keySet())
              + ")");
    }
    out.print(usage);
    return 0;
  }

  /** A bad command line: exit code 2, the message and the command's usage on stderr. */
  private static final class CommandLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandLineException(String message) {
      super(message);
    }
  }

  private static void noOptions(List<String> args) {
    if (!args.isEmpty()) {
      final String arg = args.get(0);
      throw new CommandLineException(
          (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'");
    }
  }

  private static Path parseConfigOption(List<String> args) {
    Path config = null;
    for (int i = 0; i < args.size(); i++) {
      final String arg = args.get(i);
      if (arg.equals("--config") || arg.equals("-c")) {
        if (i + 1 >= args.size()) {
          throw new CommandLineException(arg + " needs a file");
        }
        config = Path.of(args.get(++i));
      } else if (arg.startsWith("--config=")) {
        config = Path.of(arg.substring("--config=".length()));
      } else {
        throw new CommandLineException(
            (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'");
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
        throw new CommandLineException(arg + " needs a value");
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
        throw new CommandLineException(
            (arg.startsWith("-") && !arg.equals("-") ? "unknown option '" : "unexpected argument '")
                + arg
                + "'");
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
