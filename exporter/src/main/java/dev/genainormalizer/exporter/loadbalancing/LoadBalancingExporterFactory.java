package dev.genainormalizer.exporter.loadbalancing;

import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.TlsClients;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.exporter.loadbalancing.LoadBalancingExporterConfig.Dns;
import dev.genainormalizer.exporter.loadbalancing.LoadBalancingExporterConfig.Otlp;
import dev.genainormalizer.exporter.otlp.OtlpGrpcSender;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code loadbalancing}: trace-aware fan-in to a changing set of OTLP/gRPC backends. */
public final class LoadBalancingExporterFactory
    implements ExporterFactory<LoadBalancingExporterConfig> {
  public static final String TYPE = "loadbalancing";
  private static final Logger logger = LoggerFactory.getLogger(LoadBalancingExporterFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<LoadBalancingExporterConfig> configType() {
    return LoadBalancingExporterConfig.class;
  }

  @Override
  public LoadBalancingExporterConfig defaultConfig() {
    return LoadBalancingExporterConfig.defaults();
  }

  @Override
  public TraceExporter create(LoadBalancingExporterConfig config, ExporterSettings settings) {
    return create(config, settings, InetAddress::getAllByName);
  }

  /**
   * As {@link #create(LoadBalancingExporterConfig, ExporterSettings)}, with the DNS lookup
   * injected.
   */
  TraceExporter create(
      LoadBalancingExporterConfig config, ExporterSettings settings, DnsResolver.Lookup lookup) {
    final Dns dns = config.resolver().dns();
    final EndpointResolver resolver =
        dns != null
            ? new DnsResolver(dns.hostname(), dns.port(), lookup)
            : new StaticResolver(config.resolver().staticResolver().hostnames());
    final Duration interval = dns != null ? dns.interval() : Dns.DEFAULT_INTERVAL;
    final Otlp otlp = config.protocol().otlp();
    if (otlp.usesTls()) {
      // backends are built when they join the ring, long after start: load the PEM files (and warn
      // about insecure_skip_verify) now, so a bad file fails start-up naming its key
      TlsClients.factory(otlp.tls(), settings.id() + " (every backend)", logger).close();
    }
    final String scheme = otlp.usesTls() ? "https://" : "";
    final Function<String, TraceSender> senders =
        endpoint ->
            OtlpGrpcSender.builder()
                .endpoint(scheme + endpoint)
                .compression(otlp.compression())
                .headers(otlp.headers())
                .timeout(otlp.timeout())
                .tls(otlp.tls())
                .clock(settings.clock())
                .build();
    // no profile: the router forwards spans as it got them, the tier behind it maps them
    return new LoadBalancingExporter(
        settings,
        resolver,
        interval,
        otlp.retryOnFailure(),
        otlp.sendingQueue(),
        senders,
        UnaryOperator.identity());
  }
}
