package dev.genainormalizer.config;

import dev.genainormalizer.config.internal.Embedding;
import dev.genainormalizer.config.internal.RecordTrees;
import dev.genainormalizer.config.internal.YamlPath;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link Validatable#validate()} on a bound config and on every record nested in it (through
 * record components, lists and maps), and turns each message into a {@link ConfigError} whose path
 * is the record's path followed by the key the message starts with: {@code "max_interval: 0s
 * (...)"} in {@code exporters.otlp.retry_on_failure} becomes {@code
 * exporters.otlp.retry_on_failure.max_interval: 0s (...)}.
 */
public final class ConfigValidator {
  private static final int MAX_DEPTH = 32;

  /**
   * The leading key of a message: snake_case segments joined by dots, each followed by list indexes
   * ({@code [0]}) or map keys ({@code [gpt-4.1]}), then ": ".
   */
  private static final Pattern LEADING_KEY =
      Pattern.compile(
          "([A-Za-z0-9_\\-]+(?:\\[[^\\]\\s]+])*(?:\\.[A-Za-z0-9_\\-/]+(?:\\[[^\\]\\s]+])*)*): (.*)",
          Pattern.DOTALL);

  /** One step of a leading key: a plain segment, or the inside of brackets. */
  private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_\\-/]+)|\\[([^\\]]+)]");

  /**
   * Validates {@code value} found at {@code path} (e.g. {@code exporters.fiddler}); the errors
   * carry no line.
   */
  public List<ConfigError> validate(String path, Object value) {
    Objects.requireNonNull(path, "path");
    final YamlPath root = path.isEmpty() ? YamlPath.ROOT : YamlPath.ROOT.key(path);
    return validate(root, value, p -> 0);
  }

  List<ConfigError> validate(YamlPath path, Object value, ToIntFunction<YamlPath> lineOf) {
    final List<ConfigError> errors = new ArrayList<>();
    walk(path, value, lineOf, errors, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    return errors;
  }

  private void walk(
      YamlPath path,
      Object value,
      ToIntFunction<YamlPath> lineOf,
      List<ConfigError> errors,
      Set<Object> seen,
      int depth) {
    if (value == null || depth > MAX_DEPTH || !seen.add(value)) {
      return;
    }
    try {
      if (value instanceof Validatable) {
        for (String message : messages((Validatable) value, path)) {
          errors.add(toError(path, message, lineOf));
        }
      }
      if (value instanceof Record) {
        for (RecordComponent component : value.getClass().getRecordComponents()) {
          final Object child;
          try {
            child = RecordTrees.read(component, value);
          } catch (IllegalStateException e) {
            continue;
          }
          if (isContainer(child)) {
            // An embedded record's keys sit in this block, so its errors name this block's path.
            final YamlPath at =
                Embedding.isSquashed(component) ? path : path.key(RecordTrees.yamlKey(component));
            walk(at, child, lineOf, errors, seen, depth + 1);
          }
        }
      } else if (value instanceof List) {
        final List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
          walk(path.index(i), list.get(i), lineOf, errors, seen, depth + 1);
        }
      } else if (value instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          walk(path.key(String.valueOf(e.getKey())), e.getValue(), lineOf, errors, seen, depth + 1);
        }
      } else if (value instanceof Collection) {
        for (Object item : (Collection<?>) value) {
          walk(path, item, lineOf, errors, seen, depth + 1);
        }
      } else if (value instanceof Optional) {
        walk(path, ((Optional<?>) value).orElse(null), lineOf, errors, seen, depth + 1);
      }
    } finally {
      seen.remove(value);
    }
  }

  private static boolean isContainer(Object value) {
    return value instanceof Record
        || value instanceof Collection
        || value instanceof Map
        || value instanceof Optional;
  }

  private static List<String> messages(Validatable validatable, YamlPath path) {
    try {
      final List<String> messages = validatable.validate();
      return messages == null ? List.of() : messages;
    } catch (RuntimeException e) {
      // A defect in a validate() must not hide the other errors nor crash start-up with a trace.
      return List.of(
          "validation failed ("
              + e.getClass().getSimpleName()
              + " in "
              + validatable.getClass().getSimpleName()
              + ".validate())");
    }
  }

  private static ConfigError toError(
      YamlPath base, String message, ToIntFunction<YamlPath> lineOf) {
    final Matcher m = LEADING_KEY.matcher(message);
    if (!m.matches()) {
      return new ConfigError(base.toString(), lineOf.applyAsInt(base), message);
    }
    YamlPath path = base;
    final Matcher step = STEP.matcher(m.group(1));
    while (step.find()) {
      final String inBrackets = step.group(2);
      if (inBrackets == null) {
        path = path.key(step.group(1));
      } else if (inBrackets.chars().allMatch(Character::isDigit)) {
        path = path.index(Integer.parseInt(inBrackets));
      } else {
        path = path.key(inBrackets);
      }
    }
    return new ConfigError(path.toString(), lineOf.applyAsInt(path), m.group(2));
  }
}
