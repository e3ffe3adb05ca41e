package dev.genainormalizer.exporter.preset;

import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.profile.ContentPolicy;

/**
 * A vendor exporter's YAML block: the shared HTTP client settings, embedded flat, and the vendor's
 * own keys. Its {@code validate()} is its preset's {@link VendorPreset#validate}.
 */
public interface VendorConfig extends Validatable {

  /**
   * {@code endpoint}, {@code headers}, {@code compression}, {@code timeout}, {@code tls}, {@code
   * retry_on_failure}, {@code sending_queue}.
   */
  HttpClientSettings http();

  /** {@code keep} or {@code drop} prompt and completion text. */
  ContentPolicy content();
}
