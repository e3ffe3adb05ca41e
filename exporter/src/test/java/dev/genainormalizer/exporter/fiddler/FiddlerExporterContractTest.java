package dev.genainormalizer.exporter.fiddler;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Fiddler backend serving {@value #PATH} only. */
class FiddlerExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();
  static final String APPLICATION_ID = "0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a";

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
    return new FiddlerExporterFactory();
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
        + "api_key: " + SECRET + "\n"
        + "application_id: " + APPLICATION_ID + "\n";
  }

  @Override
  protected String expectedPath() {
    return PATH;
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", "Bearer " + SECRET, "fiddler-application-id", APPLICATION_ID);
  }
}
