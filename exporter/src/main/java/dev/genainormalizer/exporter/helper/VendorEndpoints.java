package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks shared by the vendor exporters' configs. Messages start with the YAML key and never quote
 * a secret.
 */
public final class VendorEndpoints {
  private static final String TRACES = "/v1/traces";

  /** Where a vendor exporter's credentials go instead of the URL. */
  private static final String VENDOR_CREDENTIALS =
      "the exporter's own credential settings (api_key, api_token, username and password, or"
          + " public_key and secret_key; see docs/vendors.md)";

  private VendorEndpoints() {}

  /**
   * Checks a vendor's base URL: required, http(s) with a host, and not already ending in the
   * vendor's path (or its tail {@code /v1/traces}), which would make us POST to the path twice.
   *
   * @param vendorPath the path we append, e.g. {@code /api/public/otel/v1/traces}
   */
  public static void checkBase(
      String key, String endpoint, String vendorPath, String vendor, List<String> errors) {
    if (endpoint.isEmpty()) {
      errors.add(
          key
              + ": required (expected: the "
              + vendor
              + " base URL; we POST to {"
              + key
              + "}"
              + vendorPath
              + ")");
      return;
    }
    final String shown = Redaction.url(endpoint);
    final URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      errors.add(key + ": '" + shown + "' (expected: a valid URL; " + e.getReason() + ")");
      return;
    }
    final String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      errors.add(key + ": '" + shown + "' (expected: an http:// or https:// URL)");
      return;
    }
    if (uri.getHost() == null) {
      errors.add(key + ": '" + shown + "' (expected: a URL with a host)");
      return;
    }
    final Optional<String> userInfo = EndpointCredentials.check(key, endpoint, VENDOR_CREDENTIALS);
    if (userInfo.isPresent()) {
      errors.add(userInfo.get());
      return;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      errors.add(key + ": '" + shown + "' (expected: a base URL without ?query or #fragment)");
      return;
    }
    final String path = trimSlashes(uri.getRawPath()).toLowerCase(Locale.ROOT);
    if (path.endsWith(vendorPath.toLowerCase(Locale.ROOT))) {
      errors.add(
          key
              + ": already ends in "
              + vendorPath
              + "; we would call "
              + tracesUri(endpoint, vendorPath)
              + " (expected: the base URL, without "
              + vendorPath
              + ")");
    } else if (path.endsWith(TRACES)) {
      errors.add(
          key
              + ": already ends in "
              + TRACES
              + "; we would call "
              + tracesUri(endpoint, vendorPath)
              + " (expected: the base URL; we append "
              + vendorPath
              + ")");
    }
  }

  /** {@code endpoint} without trailing slashes, followed by {@code vendorPath}. */
  public static URI tracesUri(String endpoint, String vendorPath) {
    final URI base = URI.create(endpoint);
    return URI.create(
        base.getScheme()
            + "://"
            + base.getRawAuthority()
            + trimSlashes(base.getRawPath())
            + vendorPath);
  }

  /** Required secret: reports it missing, or unusable in an HTTP header; never quotes it. */
  public static void checkSecret(String key, Secret value, String why, List<String> errors) {
    if (value.value().isBlank()) {
      errors.add(key + ": required: " + why);
    } else {
      checkHeaderSafe(key, value.value(), errors);
    }
  }

  /** Reports a value that cannot travel in an HTTP header (control characters); never quotes it. */
  public static void checkHeaderSafe(String key, String value, List<String> errors) {
    for (int i = 0; i < value.length(); i++) {
      final char c = value.charAt(i);
      if (c < ' ' && c != '\t' || c == 127) {
        errors.add(
            key
                + ": contains a control character such as a line break (value not shown;"
                + " expected: a single-line value, check how the variable is set)");
        return;
      }
    }
  }

  private static String trimSlashes(String path) {
    String p = path == null ? "" : path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
