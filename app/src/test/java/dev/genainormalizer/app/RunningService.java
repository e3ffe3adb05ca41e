package dev.genainormalizer.app;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Map;

/** The real service, in-process, on ephemeral ports, for end-to-end tests. */
final class RunningService implements AutoCloseable {
  final NormalizerService service;

  RunningService(String yaml) {
    final ComponentRegistry registry = ComponentRegistry.loadInstalled();
    final NormalizerConfig config;
    try {
      config = new ConfigLoader(registry).load(yaml, "test config", Map.of());
    } catch (ConfigException e) {
      throw new AssertionError("test config is invalid:\n" + e.getMessage(), e);
    }
    service =
        NormalizerService.create(
            config, registry, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.SYSTEM);
    service.start();
  }

  InetSocketAddress address(String protocol) {
    return service.receiverAddresses().get(ComponentId.of("otlp")).get(protocol);
  }

  String httpTracesUrl() {
    return "http://127.0.0.1:" + address("http").getPort() + "/v1/traces";
  }

  String grpcUri() {
    return "http://127.0.0.1:" + address("grpc").getPort();
  }

  String adminUrl(String path) {
    return "http://127.0.0.1:" + service.adminAddress().getPort() + path;
  }

  /** Prometheus text of the service's own registry. */
  String scrape() {
    return service.meterRegistry().scrape();
  }

  @Override
  public void close() {
    service.stop();
  }
}
