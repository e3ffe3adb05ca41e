package dev.genainormalizer.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A listen address written as {@code host:port} in YAML ({@code 0.0.0.0:4318}, {@code localhost:0},
 * {@code [::1]:4317}). Port 0 asks the OS for a free port, which tests use.
 *
 * @param host a host name or IP literal, without brackets
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {
  public static final String EXPECTED = "host:port with port 0-65535";

  public HostPort {
    Objects.requireNonNull(host, "host");
  }

  /** Parses {@code host:port}; empty when the text is not of that form. */
  public static Optional<HostPort> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    final int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return Optional.empty();
    }
    String host = text.substring(0, colon).trim();
    final String portText = text.substring(colon + 1).trim();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      // an IPv6 literal must be bracketed, or its last group would be read as the port
      return Optional.empty();
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    if (portText.isEmpty()
        || portText.length() > 5
        || !portText.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    final int port = Integer.parseInt(portText);
    return port > 65535 ? Optional.empty() : Optional.of(new HostPort(host, port));
  }

  /** Parses {@code host:port} or throws naming the key and the bad value. */
  public static HostPort parseOrThrow(String key, String text) {
    return parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    key + ": '" + text + "' (expected: " + EXPECTED + ")"));
  }

  /** An unresolved-if-needed socket address; resolution happens when the server binds. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
