package dev.genainormalizer.exporter.otlphttp;

import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.GenericProfiles;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code otlphttp} exporter's YAML block.
 *
 * @param http {@code endpoint} (base URL; {@code /v1/traces} is appended to its path; required
 *     unless {@code traces_endpoint} is set), {@code headers}, {@code compression}, {@code
 *     timeout}, {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param tracesEndpoint full URL to POST to, used as is; overrides {@code endpoint}
 * @param encoding {@code proto} (default) or {@code json}
 * @param profile the mapping profile applied before sending; default {@code genai}
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record OtlpHttpExporterConfig(
    @Squash HttpClientSettings http,
    String tracesEndpoint,
    Encoding encoding,
    String profile,
    ContentPolicy content)
    implements Validatable {

  static final String TRACES_PATH = "/v1/traces";

  public OtlpHttpExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    tracesEndpoint = tracesEndpoint == null ? "" : tracesEndpoint.trim();
    encoding = encoding == null ? Encoding.PROTO : encoding;
    profile = profile == null || profile.isBlank() ? GenericProfiles.DEFAULT : profile.trim();
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static OtlpHttpExporterConfig defaults() {
    return new OtlpHttpExporterConfig(null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    final String endpoint = http.endpoint();
    if (endpoint.isEmpty() && tracesEndpoint.isEmpty()) {
      errors.add("endpoint: required (or traces_endpoint)");
    }
    if (!endpoint.isEmpty()) {
      checkUrl("endpoint", endpoint, errors);
    }
    if (!tracesEndpoint.isEmpty()) {
      checkUrl("traces_endpoint", tracesEndpoint, errors);
    }
    errors.addAll(http.validate());
    GenericProfiles.check(profile, errors);
    http.checkTls(tracesEndpoint.isEmpty() ? endpoint : tracesEndpoint, errors);
    return errors;
  }

  /** The URL batches are POSTed to; call only on a config that passed {@link #validate()}. */
  public URI tracesUri() {
    if (!tracesEndpoint.isEmpty()) {
      return URI.create(tracesEndpoint);
    }
    final URI base = URI.create(http.endpoint());
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + TRACES_PATH);
  }

  private static void checkUrl(String key, String value, List<String> errors) {
    final String shown = Redaction.url(value);
    try {
      final URI uri = new URI(value);
      final String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        errors.add(key + ": '" + shown + "' (expected: an http:// or https:// URL)");
      } else if (uri.getHost() == null) {
        errors.add(key + ": '" + shown + "' (expected: a URL with a host)");
      } else {
        EndpointCredentials.check(key, value, EndpointCredentials.IN_HEADERS)
            .ifPresent(errors::add);
      }
    } catch (URISyntaxException e) {
      errors.add(key + ": '" + shown + "' (expected: a valid URL; " + e.getReason() + ")");
    }
  }
}
