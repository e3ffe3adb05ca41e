package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line itself: every command's help, and unknown options as errors. */
class CliTest {

  @ParameterizedTest
  @CsvSource({
    "run, --help, usage: genai-normalizer run [--config FILE]",
    "run, -h, usage: genai-normalizer run [--config FILE]",
    "validate, -h, usage: genai-normalizer validate [--config FILE]",
    "validate, --help, usage: genai-normalizer validate [--config FILE]",
    "map, --help, usage: genai-normalizer map [--config FILE] [--exporter ID]",
    "map, -h, usage: genai-normalizer map [--config FILE] [--exporter ID]",
    "print-default-config, --help, usage: genai-normalizer print-default-config",
    "version, --help, usage: genai-normalizer version",
    "help, --help, usage: genai-normalizer help [COMMAND]",
  })
  void eachCommandsHelpPrintsItsUsageAndExitsZero(String command, String flag, String usage) {
    final CliRun r = run(command, flag);

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith(usage).contains("-h, --help");
    assertThat(r.err()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"run", "validate", "map", "print-default-config", "version"})
  void helpWinsOverOtherArguments(String command) {
    final CliRun r = run(command, "--bogus", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("usage: genai-normalizer " + command);
  }

  @ParameterizedTest
  @CsvSource({"run", "validate", "map", "print-default-config", "version", "help"})
  void helpCommandPrintsTheNamedCommandsUsage(String command) {
    final CliRun r = run("help", command);

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Cli.COMMAND_USAGE.get(command));
  }

  @ParameterizedTest
  @CsvSource({"help", "--help", "-h"})
  void topLevelHelpListsEveryCommand(String arg) {
    final CliRun r = run(arg);

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Cli.USAGE);
    assertThat(Cli.USAGE).contains(Cli.COMMAND_USAGE.keySet());
  }

  @ParameterizedTest
  @CsvSource({"run", "validate", "map", "print-default-config", "version", "help"})
  void anUnknownOptionIsABadCommandLineForEveryCommand(String command) {
    final CliRun r = run(command, "--bogus");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("genai-normalizer " + command + ": unknown option '--bogus'\n")
        .contains("usage: genai-normalizer " + command);
  }

  @ParameterizedTest
  @CsvSource({"print-default-config", "version"})
  void commandsWithoutArgumentsRejectOne(String command) {
    final CliRun r = run(command, "extra");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("genai-normalizer " + command + ": unexpected argument 'extra'");
  }

  @ParameterizedTest
  @CsvSource({"run", "validate"})
  void configNeedsAFile(String command) {
    final CliRun r = run(command, "--config");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("genai-normalizer " + command + ": --config needs a file");
  }

  @org.junit.jupiter.api.Test
  void helpForAnUnknownCommandIsABadCommandLine() {
    final CliRun r = run("help", "nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("genai-normalizer help: unknown command 'nope' (expected one of");
  }

  @org.junit.jupiter.api.Test
  void anUnknownCommandIsABadCommandLine() {
    final CliRun r = run("nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("genai-normalizer: unknown command 'nope'\n")
        .contains(Cli.USAGE);
  }

  @org.junit.jupiter.api.Test
  void mapRejectsASecondInputFile() {
    final CliRun r = run("map", "a.json", "b.json");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("genai-normalizer map: unexpected argument 'b.json'");
  }

  @org.junit.jupiter.api.Test
  void versionAndDefaultConfigStillWork() {
    assertThat(run("version").out()).startsWith("genai-normalizer ");
    assertThat(run("--version").code()).isZero();
    assertThat(run("print-default-config").out()).isEqualTo(Cli.defaultConfigText());
  }

  private static CliRun run(String... args) {
    return CliRun.of(null, args);
  }
}
