package dev.genainormalizer.exporter.phoenix;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Phoenix backend serving {@value #PATH} only. */
class PhoenixExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  PhoenixExporterContractTest() {
    super(new PhoenixExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "project: kong\n" + "api_key: " + SECRET + "\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", "Bearer " + SECRET);
  }
}
