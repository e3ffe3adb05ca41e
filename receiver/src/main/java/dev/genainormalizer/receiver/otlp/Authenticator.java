package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.config.AuthConfig;
import dev.genainormalizer.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Checks an {@code Authorization} header against the configured credentials in constant time: both
 * sides are hashed to 32 bytes and compared with {@link MessageDigest#isEqual}, and every
 * credential is compared, so neither the length nor the position of a match leaks through timing.
 */
final class Authenticator {
  static final String REALM = "genai-normalizer";

  private final List<byte[]> bearerDigests = new ArrayList<>();
  private final byte[] basicDigest;
  private final String challenge;

  Authenticator(AuthConfig config) {
    for (Secret token : config.bearerTokens()) {
      bearerDigests.add(sha256(token.value()));
    }
    basicDigest =
        config.basic().enabled()
            ? sha256(config.basic().username() + ':' + config.basic().password().value())
            : null;
    final List<String> challenges = new ArrayList<>();
    if (!bearerDigests.isEmpty()) {
      challenges.add("Bearer realm=\"" + REALM + "\"");
    }
    if (basicDigest != null) {
      challenges.add("Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    challenge = String.join(", ", challenges);
  }

  /** The {@code WWW-Authenticate} value of a 401. */
  String challenge() {
    return challenge;
  }

  /** Whether the header (null when absent) carries valid credentials. */
  boolean authenticate(String authorization) {
    if (authorization == null) {
      return false;
    }
    final String header = authorization.trim();
    final int space = header.indexOf(' ');
    if (space <= 0) {
      return false;
    }
    final String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
    final String credentials = header.substring(space + 1).trim();
    if (scheme.equals("bearer")) {
      final byte[] given = sha256(credentials);
      boolean ok = false;
      for (byte[] digest : bearerDigests) {
        // no early exit: every token costs the same whether or not an earlier one matched
        ok |= MessageDigest.isEqual(digest, given);
      }
      return ok;
    }
    if (scheme.equals("basic") && basicDigest != null) {
      final String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return MessageDigest.isEqual(basicDigest, sha256(decoded));
    }
    return false;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
