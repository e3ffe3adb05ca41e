package dev.genainormalizer.exporter.preset;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.MappingSender;
import dev.genainormalizer.exporter.helper.QueuedRetryingExporter;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a vendor exporter is built from its preset: OTLP/HTTP protobuf to the preset's URL
 * with the user's and the preset's headers, after the preset's mapping profile, behind the queue
 * and retries of {@link QueuedRetryingExporter}. A vendor's factory only names its preset, so that
 * it can be registered as a service.
 *
 * @param <C> the vendor's config record
 */
public abstract class PresetExporterFactory<C extends Record & VendorConfig>
    implements ExporterFactory<C> {
  private final String type;
  private final VendorPreset<C, ?> preset;

  /** Named after the vendor's factory, as each factory's logger was before presets. */
  private final Logger logger = LoggerFactory.getLogger(getClass());

  /**
   * @param type the exporter's type name in YAML, e.g. {@code langfuse}
   */
  protected PresetExporterFactory(String type, VendorPreset<C, ?> preset) {
    this.type = Objects.requireNonNull(type, "type");
    this.preset = Objects.requireNonNull(preset, "preset");
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Class<C> configType() {
    return preset.configType();
  }

  @Override
  public final C defaultConfig() {
    return preset.defaults();
  }

  public final VendorPreset<C, ?> preset() {
    return preset;
  }

  @Override
  public TraceExporter create(C config, ExporterSettings settings) {
    return create(config, settings, preset);
  }

  /** For a vendor whose tests need a preset built otherwise (a smaller request limit). */
  protected final TraceExporter create(
      C config, ExporterSettings settings, VendorPreset<C, ?> with) {
    final HttpClientSettings client = config.http();
    final OtlpHttpSender http =
        OtlpHttpSender.builder()
            .endpoint(with.tracesUri(config))
            .client(client)
            .headers(
                new TreeMap<>(with.headers(config))) // sorted: the start line lists them stably
            .clock(settings.clock())
            .build();
    final MappingSender mapping =
        new MappingSender(
            settings.id().toString(),
            with.vendor(),
            with.profileName(),
            with.mapper(config),
            config.content(),
            http,
            logger);
    return QueuedRetryingExporter.of(
        settings,
        with.sender(mapping, http, settings, logger),
        client.retryOnFailure(),
        client.sendingQueue());
  }
}
