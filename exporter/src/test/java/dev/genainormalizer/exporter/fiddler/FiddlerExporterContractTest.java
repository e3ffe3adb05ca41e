package dev.genainormalizer.exporter.fiddler;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Fiddler backend serving {@value #PATH} only. */
class FiddlerExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();
  static final String APPLICATION_ID = "0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a";

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  FiddlerExporterContractTest() {
    super(new FiddlerExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "api_key: " + SECRET + "\n" + "application_id: " + APPLICATION_ID + "\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", "Bearer " + SECRET, "fiddler-application-id", APPLICATION_ID);
  }
}
