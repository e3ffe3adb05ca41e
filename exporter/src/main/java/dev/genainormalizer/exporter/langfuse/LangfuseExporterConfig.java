package dev.genainormalizer.exporter.langfuse;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.Squash;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import java.util.List;

/**
 * The {@code langfuse} exporter's YAML block.
 *
 * @param http {@code endpoint} (the Langfuse host, e.g. {@code https://cloud.langfuse.com}; we POST
 *     to {@code {endpoint}/api/public/otel/v1/traces}; required), {@code headers}, {@code
 *     compression}, {@code timeout}, {@code tls}, {@code retry_on_failure}, {@code sending_queue}
 * @param publicKey the project's public key ({@code pk-lf-…}). Required
 * @param secretKey the project's secret key ({@code sk-lf-…}). Required
 * @param environment {@code langfuse.environment} on every span; default empty (Langfuse's own
 *     rule)
 * @param traceName {@code langfuse.trace.name} on every span; default empty (the root span's name)
 * @param rerootOrphans clear the parent of spans whose parent is not in the batch; default true
 * @param content {@code keep} (default) or {@code drop} prompt and completion text
 */
public record LangfuseExporterConfig(
    @Squash HttpClientSettings http,
    String publicKey,
    Secret secretKey,
    String environment,
    String traceName,
    Boolean rerootOrphans,
    ContentPolicy content)
    implements VendorConfig {

  public LangfuseExporterConfig {
    http = HttpClientSettings.orDefaults(http);
    publicKey = publicKey == null ? "" : publicKey.trim();
    secretKey = secretKey == null ? new Secret("") : new Secret(secretKey.value().trim());
    environment = environment == null ? "" : environment.trim();
    traceName = traceName == null ? "" : traceName.trim();
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
    content = content == null ? ContentPolicy.KEEP : content;
  }

  public static LangfuseExporterConfig defaults() {
    return new LangfuseExporterConfig(null, null, null, null, null, null, null);
  }

  @Override
  public List<String> validate() {
    return new LangfusePreset().validate(this);
  }
}
