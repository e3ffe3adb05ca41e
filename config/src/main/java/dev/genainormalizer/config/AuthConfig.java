package dev.genainormalizer.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code auth}: who may send to a receiver. Off when no token and no user is set. A request passes
 * when its {@code Authorization} header carries one of {@code bearer_tokens} ({@code Bearer
 * <token>}) or the {@code basic} user and password ({@code Basic base64(user:password)}).
 *
 * @param bearerTokens accepted bearer tokens; default none
 * @param basic the one accepted user and password; default none
 */
public record AuthConfig(List<Secret> bearerTokens, BasicAuth basic) implements Validatable {

  public AuthConfig {
    bearerTokens = bearerTokens == null ? List.of() : List.copyOf(bearerTokens);
    basic = basic == null ? BasicAuth.NONE : basic;
  }

  public static AuthConfig defaults() {
    return new AuthConfig(List.of(), BasicAuth.NONE);
  }

  /** Whether requests must authenticate at all. */
  public boolean enabled() {
    return !bearerTokens.isEmpty() || basic.enabled();
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    for (int i = 0; i < bearerTokens.size(); i++) {
      final String token = bearerTokens.get(i).value();
      if (token.isBlank()) {
        errors.add("bearer_tokens[" + i + "]: empty (expected: a non-empty token)");
      } else if (token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        // never quote the value: it is a credential
        errors.add(
            "bearer_tokens["
                + i
                + "]: contains a space, control or non-ASCII character (expected: a token as"
                + " sent in 'Authorization: Bearer <token>')");
      }
    }
    errors.addAll(basic.validate().stream().map(e -> "basic." + e).toList());
    return errors;
  }

  /**
   * {@code auth.basic}.
   *
   * @param username required when {@code password} is set; may not contain {@code :}
   * @param password required when {@code username} is set
   */
  public record BasicAuth(String username, Secret password) {
    public static final BasicAuth NONE = new BasicAuth("", new Secret(""));

    public BasicAuth {
      username = username == null ? "" : username;
      password = password == null ? new Secret("") : password;
    }

    public boolean enabled() {
      return !username.isEmpty() || !password.isEmpty();
    }

    List<String> validate() {
      if (!enabled()) {
        return List.of();
      }
      final List<String> errors = new ArrayList<>();
      if (username.isEmpty()) {
        errors.add("username: required when password is set");
      } else if (username.indexOf(':') >= 0) {
        errors.add("username: '" + username + "' (expected: no ':')");
      }
      if (password.isEmpty()) {
        errors.add("password: required when username is set");
      }
      return errors;
    }
  }
}
