package dev.genainormalizer.exporter.openobserve;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process OpenObserve backend serving {@value #PATH} only. */
class OpenObserveExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/api/acme_org/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      sb.requestTimeout(Duration.ZERO);
      sb.service(PATH, HttpBackend.service(COLLECTOR));
    }
  };

  @Override
  protected ExporterFactory<?> factory() {
    return new OpenObserveExporterFactory();
  }

  @Override
  protected TestCollector collector() {
    return COLLECTOR;
  }

  @Override
  protected String endpoint() {
    return server.httpUri().toString();
  }

  @Override
  protected String vendorYaml(String endpoint) {
    return "endpoint: " + endpoint + "\n"
        + "organization: acme_org\n"
        + "username: root@example.com\n"
        + "password: " + SECRET + "\n"
        + "stream: genai\n";
  }

  @Override
  protected String expectedPath() {
    return PATH;
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", basic("root@example.com", SECRET), "stream-name", "genai");
  }
}
