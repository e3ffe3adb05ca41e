package dev.genainormalizer.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One command line run in-process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

  /** Runs {@code args} with an empty environment and {@code stdin} (null: empty). */
  static CliRun of(byte[] stdin, String... args) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int code =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                new ByteArrayInputStream(stdin == null ? new byte[0] : stdin))
            .execute(args);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
