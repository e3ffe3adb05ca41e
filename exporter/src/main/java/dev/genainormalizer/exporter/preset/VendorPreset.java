package dev.genainormalizer.exporter.preset;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.profile.VendorMapper;
import dev.genainormalizer.exporter.profile.VendorProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What sets one OTLP/HTTP backend apart from another: where traces go under its base URL, the
 * headers it needs (credentials and required ones), its mapping profile with settings from the
 * config, and the checks that refuse a config it would answer with 401 or lose data for. Everything
 * else (HTTP client, mapping, queue, retries) is {@link PresetExporterFactory}'s, the same for
 * every vendor.
 *
 * @param <C> the vendor's config record
 * @param <S> its profile's settings
 */
public abstract class VendorPreset<C extends VendorConfig, S extends Record> {
  private final String vendor;
  private final String baseUrl;
  private final String tracesPath;
  private final VendorProfile<S> profile;
  private final Class<C> configType;
  private final C defaults;

  /**
   * @param vendor the backend's name in messages and logs, e.g. {@code Langfuse}
   * @param baseUrl what {@code endpoint} is, for its messages, e.g. {@code Langfuse host}
   * @param tracesPath the path POSTed to under {@code endpoint}, e.g. {@code
   *     /api/public/otel/v1/traces}
   * @param profile the mapping profile spans go through before sending
   * @param configType the record the exporter's YAML block binds to
   * @param defaults that record with every key left out
   */
  protected VendorPreset(
      String vendor,
      String baseUrl,
      String tracesPath,
      VendorProfile<S> profile,
      Class<C> configType,
      C defaults) {
    this.vendor = Objects.requireNonNull(vendor, "vendor");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.tracesPath = Objects.requireNonNull(tracesPath, "tracesPath");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.configType = Objects.requireNonNull(configType, "configType");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  /**
   * The path POSTed to under {@code endpoint}; a backend whose path depends on a key overrides it.
   */
  protected String tracesPath(C config) {
    return tracesPath;
  }

  /**
   * The headers the backend needs: credentials from the config's keys and required headers. They
   * replace a user's {@code headers} of the same name, which {@link #validate} refuses.
   */
  public abstract Map<String, Secret> headers(C config);

  /** The profile's settings, from the config's keys; by default the profile's own defaults. */
  protected S settings(C config) {
    return profile.defaultSettings();
  }

  /**
   * Adds the vendor's checks of its own keys: what the backend would refuse (missing or swapped
   * credentials, malformed ids) or a setting that would lose data. Messages start with the YAML key
   * and never quote a secret. The endpoint, timeout, headers and tls are checked already.
   *
   * @param errors the messages so far; the endpoint's come first
   */
  protected abstract void check(C config, List<String> errors);

  /**
   * What the queue drives; by default the mapping sender. A backend with a request size limit wraps
   * it here to split batches.
   */
  protected TraceSender sender(
      MappingSender mapping, OtlpHttpSender http, ExporterSettings settings, Logger logger) {
    return mapping;
  }

  public final String vendor() {
    return vendor;
  }

  public final Class<C> configType() {
    return configType;
  }

  public final C defaults() {
    return defaults;
  }

  /** The vendor config's {@code validate()}: endpoint, the vendor's checks, the HTTP settings. */
  public final List<String> validate(C config) {
    final HttpClientSettings http = config.http();
    final List<String> errors = new ArrayList<>();
    VendorEndpoints.checkBase("endpoint", http.endpoint(), tracesPath(config), baseUrl, errors);
    check(config, errors);
    errors.addAll(http.validate());
    final Map<String, Secret> own = headers(config);
    for (String name : http.headers().keySet()) {
      if (own.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
        errors.add(
            "headers["
                + name
                + "]: set by the exporter from its own keys, for "
                + vendor
                + " (expected: those keys, see docs/configuration.md; or another header)");
      }
    }
    http.checkTls(http.endpoint(), errors);
    return errors;
  }

  /** The URL batches are POSTed to; call only on a config that passed {@link #validate}. */
  public final URI tracesUri(C config) {
    return VendorEndpoints.tracesUri(config.http().endpoint(), tracesPath(config));
  }

  final String profileName() {
    return profile.name();
  }

  /** The profile's mapper with this config's settings and content policy. */
  final VendorMapper mapper(C config) {
    return profile.mapper(settings(config), config.content());
  }
}
