package dev.genainormalizer.exporter.langfuse;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.VendorEndpoints;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.LangfuseSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Langfuse's OTel endpoint: Basic {@code public_key:secret_key} and {@code
 * x-langfuse-ingestion-version: 4}, after the {@code langfuse} profile.
 */
public final class LangfusePreset extends VendorPreset<LangfuseExporterConfig, LangfuseSettings> {
  public static final String TRACES_PATH = "/api/public/otel/v1/traces";

  /** Without it Langfuse may delay ingestion by up to 10 minutes; values above 4 are refused. */
  public static final String INGESTION_VERSION = "4";

  private static final String OTEL_BASE = "/api/public/otel";

  public LangfusePreset() {
    super(
        "Langfuse",
        "Langfuse host",
        TRACES_PATH,
        VendorProfiles.LANGFUSE,
        LangfuseExporterConfig.class,
        LangfuseExporterConfig.defaults());
  }

  /** {@code Basic base64(public_key:secret_key)} and the ingestion version. */
  @Override
  public Map<String, Secret> headers(LangfuseExporterConfig config) {
    final String pair = config.publicKey() + ":" + config.secretKey().value();
    return Map.of(
        "authorization",
        new Secret(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))),
        "x-langfuse-ingestion-version",
        new Secret(INGESTION_VERSION));
  }

  @Override
  protected LangfuseSettings settings(LangfuseExporterConfig config) {
    return new LangfuseSettings(config.environment(), config.traceName(), config.rerootOrphans());
  }

  @Override
  protected void check(LangfuseExporterConfig config, List<String> errors) {
    final String endpoint = config.http().endpoint();
    if (errors.isEmpty() && stripSlashes(endpoint).toLowerCase(Locale.ROOT).endsWith(OTEL_BASE)) {
      errors.add(
          "endpoint: already ends in "
              + OTEL_BASE
              + "; we would call "
              + tracesUri(config)
              + " (expected: the Langfuse host, e.g. https://cloud.langfuse.com)");
    }
    final String publicKey = config.publicKey();
    final Secret secretKey = config.secretKey();
    final boolean hasSecret = !secretKey.value().isEmpty();
    if (publicKey.isEmpty()) {
      errors.add(
          "public_key: required: Langfuse authenticates with Basic public_key:secret_key"
              + (hasSecret ? " and rejects a secret key alone (401)" : ""));
    } else if (publicKey.startsWith("sk-lf-")) {
      errors.add(
          "public_key: looks like a secret key (sk-lf-…; value not shown) (expected: the"
              + " public key pk-lf-…; are the keys swapped?)");
    } else {
      VendorEndpoints.checkHeaderSafe("public_key", publicKey, errors);
    }
    if (!hasSecret) {
      errors.add(
          "secret_key: required: Langfuse authenticates with Basic public_key:secret_key"
              + (publicKey.isEmpty() ? "" : " and rejects a public key alone (401)"));
    } else if (secretKey.value().startsWith("pk-lf-")) {
      errors.add(
          "secret_key: looks like a public key (pk-lf-…) (expected: the secret key sk-lf-…;"
              + " are the keys swapped?)");
    } else {
      VendorEndpoints.checkHeaderSafe("secret_key", secretKey.value(), errors);
    }
  }

  private static String stripSlashes(String s) {
    String p = s;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
