package dev.genainormalizer.exporter;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.Wire;
import dev.genainormalizer.exporter.testing.Yaml;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The contract for a vendor exporter: OTLP/HTTP protobuf to the vendor's traces path, with its
 * credentials, after its mapping profile. A subclass starts {@link HttpBackend#server} on that path
 * only (a wrong path gets 404, which the contract sees as a permanent failure), passes it here, and
 * gives the vendor's own YAML keys and the headers they must produce; the shared keys come from
 * {@link OptionsYaml}.
 */
public abstract class AbstractVendorExporterContractTest extends AbstractExporterContractTest {
  private final ExporterFactory<?> factory;
  private final TestCollector collector;
  private final ServerExtension server;
  private final String path;

  /**
   * @param factory the vendor's factory, as registered for the service
   * @param server serving {@code collector} on {@code path}, registered by the subclass
   * @param path the vendor's traces path below the endpoint
   */
  protected AbstractVendorExporterContractTest(
      ExporterFactory<?> factory, TestCollector collector, ServerExtension server, String path) {
    this.factory = factory;
    this.collector = collector;
    this.server = server;
    this.path = path;
  }

  /** The vendor's own keys but {@code endpoint}, with credentials made of {@link #SECRET}. */
  protected abstract String vendorYaml();

  /** The credentials and other headers the vendor's keys must produce. */
  @Override
  protected abstract Map<String, String> expectedHeaders();

  @Override
  protected final TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return Yaml.exporter(
        factory,
        "endpoint: "
            + OptionsYaml.quoted(o.endpoint())
            + "\n"
            + vendorYaml()
            + OptionsYaml.common(o, ""),
        settings);
  }

  @Override
  protected final String componentType() {
    return factory.type();
  }

  @Override
  protected final boolean supportsRemoteBackend() {
    return true;
  }

  /** Credentials go in the vendor's own keys. */
  @Override
  protected final boolean supportsCustomHeaders() {
    return false;
  }

  /** The profile rewrites attributes; which spans arrive is what must not change. */
  @Override
  protected final Object content(ExportTraceServiceRequest request) {
    return spanIds(request);
  }

  @Override
  protected final TestCollector collector() {
    return collector;
  }

  @Override
  protected final String endpoint() {
    return server.httpUri().toString();
  }

  @Override
  protected final Wire wire() {
    return Wire.HTTP;
  }

  @Override
  protected final String expectedPath() {
    return path;
  }

  /** {@code Basic base64(user:password)}, as the backend must receive it. */
  protected static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
