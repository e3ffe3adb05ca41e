package dev.genainormalizer.exporter.loadbalancing;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.GrpcBackend;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.Wire;
import dev.genainormalizer.exporter.testing.Yaml;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract through the static resolver to an in-process OTLP/gRPC backend. One backend: the
 * contract's ordering and queue-full checks need every trace on the same queue, and which backend
 * owns a trace depends on the ports; spreading over several is {@code LoadBalancingExporterTest}'s.
 */
class LoadBalancingExporterContractTest extends AbstractExporterContractTest {
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension static final ServerExtension server = GrpcBackend.server(COLLECTOR);

  @Override
  protected String componentType() {
    return LoadBalancingExporterFactory.TYPE;
  }

  @Override
  protected TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return Yaml.exporter(
        new LoadBalancingExporterFactory(),
        "protocol:\n  otlp:\n"
            + OptionsYaml.headers(o.headers(), "    ")
            + OptionsYaml.common(o, "    ")
            + "resolver:\n  static:\n    hostnames: ["
            + OptionsYaml.quoted(o.endpoint())
            + "]\n",
        settings);
  }

  @Override
  protected boolean supportsRemoteBackend() {
    return true;
  }

  /** Each backend's queue reports under the exporter's id followed by the backend's. */
  @Override
  protected boolean ownsMeter(String tag) {
    return tag.equals(settings.id().toString()) || tag.startsWith(settings.id() + "-");
  }

  /** Its description names the endpoints, not the per-backend settings. */
  @Override
  protected boolean describesHeaders() {
    return false;
  }

  @Override
  protected TestCollector collector() {
    return COLLECTOR;
  }

  @Override
  protected String endpoint() {
    return "127.0.0.1:" + server.httpPort();
  }

  @Override
  protected Wire wire() {
    return Wire.GRPC;
  }
}
