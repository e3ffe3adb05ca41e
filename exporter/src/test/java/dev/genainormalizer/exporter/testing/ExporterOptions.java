package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import java.time.Duration;
import java.util.Map;

/**
 * What a contract test varies in an exporter's config; each subclass maps it onto its own record.
 */
public record ExporterOptions(
    String endpoint,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    RetryConfig retry,
    QueueConfig queue) {

  /** Fast retries (10 ms growing to 50 ms), never giving up, 10 consumers. */
  public static ExporterOptions defaults(String endpoint) {
    return new ExporterOptions(
        endpoint,
        Map.of(),
        Compression.GZIP,
        Duration.ofSeconds(10),
        new RetryConfig(
            true, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ZERO, 1.5, 0.2),
        new QueueConfig(100, 10));
  }

  public ExporterOptions endpoint(String e) {
    return new ExporterOptions(e, headers, compression, timeout, retry, queue);
  }

  public ExporterOptions headers(Map<String, Secret> h) {
    return new ExporterOptions(endpoint, h, compression, timeout, retry, queue);
  }

  public ExporterOptions compression(Compression c) {
    return new ExporterOptions(endpoint, headers, c, timeout, retry, queue);
  }

  public ExporterOptions timeout(Duration t) {
    return new ExporterOptions(endpoint, headers, compression, t, retry, queue);
  }

  public ExporterOptions retry(RetryConfig r) {
    return new ExporterOptions(endpoint, headers, compression, timeout, r, queue);
  }

  public ExporterOptions queue(QueueConfig q) {
    return new ExporterOptions(endpoint, headers, compression, timeout, retry, q);
  }
}
