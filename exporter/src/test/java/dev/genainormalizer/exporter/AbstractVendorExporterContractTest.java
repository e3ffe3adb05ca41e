package dev.genainormalizer.exporter;

import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import dev.genainormalizer.exporter.testing.Yaml;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Named;

/**
 * The contract for a vendor exporter: OTLP/HTTP protobuf to the vendor's traces path, with its
 * credentials, after its mapping profile. A subclass serves {@link HttpBackend} on that path only
 * (a wrong path gets 404, which the contract sees as a permanent failure) and gives the vendor's own
 * YAML keys; the shared keys come from {@link OptionsYaml}.
 */
public abstract class AbstractVendorExporterContractTest extends AbstractExporterContractTest {

  /** The vendor's factory, as registered for the service. */
  protected abstract ExporterFactory<?> factory();

  /** The vendor's own keys for a backend at {@code endpoint}, credentials made of {@link #SECRET}. */
  protected abstract String vendorYaml(String endpoint);

  @Override
  protected final TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return Yaml.exporter(factory(), vendorYaml(o.endpoint()) + OptionsYaml.common(o, ""), settings);
  }

  @Override
  protected final String componentType() {
    return factory().type();
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
  protected final String unreachableEndpoint() {
    return "http://127.0.0.1:1";
  }

  @Override
  protected final String compressionHeader() {
    return "content-encoding";
  }

  @Override
  protected final List<Named<Answer>> retryableAnswers() {
    return HttpBackend.retryableAnswers();
  }

  @Override
  protected final List<Named<Answer>> permanentAnswers() {
    return HttpBackend.permanentAnswers();
  }

  @Override
  protected final Answer throttled(Duration delay) {
    return HttpBackend.throttled(delay);
  }

  /** {@code Basic base64(user:password)}, as the backend must receive it. */
  protected static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
