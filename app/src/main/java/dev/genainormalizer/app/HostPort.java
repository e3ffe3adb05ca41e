package dev.genainormalizer.app;

import java.net.InetSocketAddress;

/** Parses the {@code host:port} endpoints of the config ({@code [::1]:8888} for IPv6). */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String endpoint) {
    final int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: host:port)");
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    final int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: host:port)", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: port 0-65535)");
    }
    return new InetSocketAddress(host, port);
  }
}
