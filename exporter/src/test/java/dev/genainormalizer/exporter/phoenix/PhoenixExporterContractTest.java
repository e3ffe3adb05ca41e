package dev.genainormalizer.exporter.phoenix;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Phoenix backend serving {@value #PATH} only. */
class PhoenixExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/v1/traces";
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
    return new PhoenixExporterFactory();
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
        + "project: kong\n"
        + "api_key: " + SECRET + "\n";
  }

  @Override
  protected String expectedPath() {
    return PATH;
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", "Bearer " + SECRET);
  }
}
