package dev.genainormalizer.exporter.otlp;

import dev.genainormalizer.config.Redaction;
import java.net.URI;
import java.net.URISyntaxException;

/** Reads the {@code otlp} exporter's {@code endpoint} the way the Collector's users write it. */
final class GrpcEndpoint {
  private GrpcEndpoint() {}

  /**
   * {@code host:port} and {@code http://host:port} mean plaintext, {@code https://host:port} TLS.
   *
   * @return {@code http://host:port} or {@code https://host:port}
   * @throws IllegalArgumentException whose message is the bad value and what was expected
   */
  static URI parse(String endpoint) {
    final String lower = endpoint.toLowerCase(java.util.Locale.ROOT);
    final String withScheme =
        lower.startsWith("http://") || lower.startsWith("https://")
            ? endpoint
            : "http://" + endpoint;
    final URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw bad(endpoint);
    }
    final String path = uri.getRawPath();
    if (uri.getHost() == null
        || uri.getPort() < 1
        || uri.getPort() > 65535
        || (path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawUserInfo() != null) {
      throw bad(endpoint);
    }
    return URI.create(
        uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority());
  }

  private static IllegalArgumentException bad(String endpoint) {
    return new IllegalArgumentException(
        "'"
            + Redaction.url(endpoint)
            + "' (expected: host:port or http(s)://host:port, port 1-65535, no path)");
  }
}
