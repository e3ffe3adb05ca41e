package dev.genainormalizer.config.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether a value may be quoted in an error message. A key that looks like it holds a
 * credential, or anything under {@code headers}, is masked: error output ends up in logs and CI.
 *
 * <p>Internal API: may change without notice.
 */
public final class Redaction {
  private static final Pattern SENSITIVE =
      Pattern.compile(
          "(^|.*[_-])(api[_-]?key|key|token|password|passwd|pwd|secret|authorization|auth|credentials?|cookie)([_-].*|$)"
              + "|.*(apikey|token|password|secret|credential).*|headers?");

  private Redaction() {}

  public static boolean isSensitive(YamlPath path) {
    for (Object segment : path.segments()) {
      if (segment instanceof String
          && SENSITIVE.matcher(((String) segment).toLowerCase(Locale.ROOT)).matches()) {
        return true;
      }
    }
    return false;
  }
}
