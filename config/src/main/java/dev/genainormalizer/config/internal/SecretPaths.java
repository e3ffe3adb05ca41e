package dev.genainormalizer.config.internal;

import dev.genainormalizer.config.Redaction;
import java.util.Set;

/**
 * Whether a value may be quoted in an error message: not when a key on its path is a credential by
 * the shared rule ({@link Redaction#isSecretKey}), nor anywhere under {@code headers} (header
 * values are credentials whatever their name) or {@code auth}. Error output ends up in logs and CI.
 *
 * <p>Internal API: may change without notice.
 */
public final class SecretPaths {
  /** Blocks whose every value is secret, whatever the key under them is called. */
  private static final Set<String> SECRET_BLOCKS = Set.of("headers", "header", "auth");

  private SecretPaths() {}

  public static boolean isSensitive(YamlPath path) {
    for (Object segment : path.segments()) {
      if (segment instanceof String key
          && (SECRET_BLOCKS.contains(key) || Redaction.isSecretKey(key))) {
        return true;
      }
    }
    return false;
  }
}
