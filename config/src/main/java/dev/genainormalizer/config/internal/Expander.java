package dev.genainormalizer.config.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:VAR}}, {@code ${env:VAR:-default}}, {@code ${file:path}} and {@code $$}
 * inside one scalar value. Messages never contain the expanded values: they may be secrets.
 *
 * <p>Internal API: may change without notice.
 */
public final class Expander {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> env;
  private final Path baseDir;

  /**
   * @param env the environment variables to read
   * @param baseDir the directory relative {@code ${file:}} paths resolve against; {@code null} for
   *     the working directory
   */
  public Expander(Map<String, String> env, Path baseDir) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.baseDir = baseDir;
  }

  /** Whether {@code text} holds anything this expander would change. */
  public static boolean needsExpansion(String text) {
    return text.indexOf('$') >= 0;
  }

  /** The expanded text, and every problem found (the text is then partial). */
  public Result expand(String text) {
    final StringBuilder out = new StringBuilder(text.length());
    final List<String> errors = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      final char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      final char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      if (next != '{') {
        // A lone '$' is literal, so prices like "$5" need no escaping.
        out.append(c);
        i++;
        continue;
      }
      final int close = text.indexOf('}', i + 2);
      if (close < 0) {
        errors.add(
            "unterminated '${' at position " + i + " (expected: '}'; write $$ for a literal $)");
        out.append(text, i, text.length());
        break;
      }
      final String reference = text.substring(i + 2, close);
      final String value = resolve(reference, errors);
      if (value != null) {
        out.append(value);
      }
      i = close + 1;
    }
    return new Result(out.toString(), errors);
  }

  private String resolve(String reference, List<String> errors) {
    if (reference.startsWith("env:")) {
      return resolveEnv(reference.substring(4), errors);
    }
    if (reference.startsWith("file:")) {
      return resolveFile(reference.substring(5), errors);
    }
    errors.add(
        "unknown reference '${"
            + reference
            + "}' (expected: ${env:NAME}, ${env:NAME:-default}"
            + " or ${file:path}; write $$ for a literal $)");
    return null;
  }

  private String resolveEnv(String spec, List<String> errors) {
    final int sep = spec.indexOf(":-");
    final String name = sep < 0 ? spec : spec.substring(0, sep);
    final String fallback = sep < 0 ? null : spec.substring(sep + 2);
    if (!ENV_NAME.matcher(name).matches()) {
      errors.add(
          "invalid environment variable name '"
              + name
              + "' in ${env:"
              + name
              + "} (expected: letters, digits and '_', not starting with a digit)");
      return null;
    }
    final String value = env.get(name);
    // As in the shell's ${VAR:-default}: an empty variable also takes the default.
    if (fallback != null && (value == null || value.isEmpty())) {
      return fallback;
    }
    if (value == null) {
      errors.add(
          "environment variable '"
              + name
              + "' is not set"
              + " (set it, or give a default: ${env:"
              + name
              + ":-default})");
      return null;
    }
    return value;
  }

  private String resolveFile(String spec, List<String> errors) {
    if (spec.isEmpty()) {
      errors.add("empty path in ${file:} (expected: ${file:path})");
      return null;
    }
    final Path path;
    try {
      final Path given = Path.of(spec);
      path = given.isAbsolute() || baseDir == null ? given : baseDir.resolve(given);
    } catch (InvalidPathException e) {
      errors.add("invalid path in ${file:" + spec + "}");
      return null;
    }
    try {
      return trimOneNewline(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      errors.add("cannot read ${file:" + spec + "}: no such file '" + path + "'");
    } catch (AccessDeniedException e) {
      errors.add("cannot read ${file:" + spec + "}: permission denied on '" + path + "'");
    } catch (MalformedInputException e) {
      errors.add("cannot read ${file:" + spec + "}: '" + path + "' is not UTF-8 text");
    } catch (IOException e) {
      errors.add(
          "cannot read ${file:"
              + spec
              + "}: "
              + e.getClass().getSimpleName()
              + " on '"
              + path
              + "'");
    }
    return null;
  }

  // Files written by editors and `echo` end with a newline that is
  // not part of the value.
  private static String trimOneNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    if (s.endsWith("\n")) {
      return s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** The expanded text and the problems met; {@link #ok()} when there are none. */
  public record Result(String value, List<String> errors) {
    public Result {
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }
}
