package dev.genainormalizer.exporter.dynatrace;

import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.preset.VendorPreset;
import dev.genainormalizer.exporter.profile.NoSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * Dynatrace: {@code Authorization: Api-Token …}, the {@code dynatrace} profile, and requests of at
 * most {@link VendorProfiles#DYNATRACE_MAX_REQUEST_BYTES} (Dynatrace answers 413 to larger ones).
 */
public final class DynatracePreset extends VendorPreset<DynatraceExporterConfig, NoSettings> {
  public static final String TRACES_PATH = "/api/v2/otlp/v1/traces";

  /** Spans dropped because a single span is larger than the backend's request limit. */
  public static final String OVERSIZED_SPANS = "genai_normalizer.exporter.oversized.spans";

  private static final String SCHEME = "Api-Token ";

  /**
   * Dynatrace access tokens: prefix {@code dt0c01}, a 24-character public and a 64-character secret
   * part.
   */
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}");

  private final int maxRequestBytes;

  public DynatracePreset() {
    this(VendorProfiles.DYNATRACE_MAX_REQUEST_BYTES);
  }

  /**
   * @param maxRequestBytes the request size limit; smaller than Dynatrace's in tests
   */
  DynatracePreset(int maxRequestBytes) {
    super(
        "Dynatrace",
        "Dynatrace environment",
        TRACES_PATH,
        VendorProfiles.DYNATRACE,
        DynatraceExporterConfig.class,
        DynatraceExporterConfig.defaults());
    this.maxRequestBytes = maxRequestBytes;
  }

  /** {@code Api-Token <token>}. */
  @Override
  public Map<String, Secret> headers(DynatraceExporterConfig config) {
    return Map.of("authorization", new Secret(SCHEME + token(config)));
  }

  @Override
  protected void check(DynatraceExporterConfig config, List<String> errors) {
    final String token = token(config);
    if (token.isEmpty()) {
      errors.add(
          "api_token: required: Dynatrace answers 401 without an Api-Token with scope"
              + " openTelemetryTrace.ingest");
    } else if (token.startsWith("dt0s")) {
      errors.add(
          "api_token: is a platform token (dt0s…; value not shown), which Dynatrace's OTLP"
              + " endpoint does not take as Api-Token (expected: an access token dt0c01.… with scope"
              + " openTelemetryTrace.ingest)");
    } else if (!ACCESS_TOKEN.matcher(token).matches()) {
      errors.add(
          "api_token: not an Api-Token-style value (value not shown; expected: an access token"
              + " dt0c01.<24 characters>.<64 characters> with scope openTelemetryTrace.ingest, without"
              + " 'Bearer')");
    }
  }

  /**
   * Maps, then splits each batch into requests under the limit; a span over it alone is dropped and
   * counted.
   */
  @Override
  protected TraceSender sender(
      MappingSender mapping, OtlpHttpSender http, ExporterSettings settings, Logger logger) {
    final String id = settings.id().toString();
    final Counter oversized =
        Counter.builder(OVERSIZED_SPANS)
            .description(
                "Spans dropped because one span alone is over the backend's request size limit.")
            .tag(ExporterTelemetry.TAG_EXPORTER, id)
            .register(settings.meterRegistry());
    return new SplittingSender(
        mapping, http, maxRequestBytes, id, oversized, logger, settings.clock());
  }

  private static String token(DynatraceExporterConfig config) {
    final String v = config.apiToken().value();
    return v.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        ? v.substring(SCHEME.length()).trim()
        : v;
  }
}
