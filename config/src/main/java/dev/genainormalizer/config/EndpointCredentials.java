package dev.genainormalizer.config;

import java.util.Optional;

/**
 * Refuses {@code user:password@} in a URL setting. Neither Armeria's client nor the JDK's turns it
 * into an {@code Authorization} header (nor does the Collector's confighttp), so such credentials
 * would silently not be sent; they would also be one printed URL away from a log. Rejected at
 * {@code validate} with a message that says where credentials go instead.
 */
public final class EndpointCredentials {
  /** Where credentials go for a plain OTLP/HTTP URL setting. */
  public static final String IN_HEADERS =
      "headers (authorization: Basic <base64 of user:password>)";

  private EndpointCredentials() {}

  /**
   * The validation message for {@code url} when it carries user info, else empty.
   *
   * @param key the YAML key, first in the message
   * @param instead where this setting's credentials belong, e.g. {@code headers (authorization:
   *     Basic <base64 of user:password>)}
   */
  public static Optional<String> check(String key, String url, String instead) {
    if (url == null || !Redaction.hasUserInfo(url)) {
      return Optional.empty();
    }
    return Optional.of(
        key
            + ": '"
            + Redaction.url(url)
            + "' carries user:password@ (expected: a URL"
            + " without credentials, which would not be sent; set them in "
            + instead
            + ")");
  }
}
