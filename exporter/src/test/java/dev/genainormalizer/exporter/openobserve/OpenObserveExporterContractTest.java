package dev.genainormalizer.exporter.openobserve;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process OpenObserve backend serving {@value #PATH} only. */
class OpenObserveExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/api/acme_org/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  OpenObserveExporterContractTest() {
    super(new OpenObserveExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "organization: acme_org\n"
        + "username: root@example.com\n"
        + "password: "
        + SECRET
        + "\n"
        + "stream: genai\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", basic("root@example.com", SECRET), "stream-name", "genai");
  }
}
