package dev.genainormalizer.exporter.dynatrace;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Dynatrace backend serving {@value #PATH} only. */
class DynatraceExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/api/v2/otlp/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();

  /** An access token of the shape Dynatrace issues: dt0c01.<24>.<64>. */
  static final String TOKEN = "dt0c01." + "A".repeat(24) + "." + "s3cr3t".repeat(10) + "abcd";

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  DynatraceExporterContractTest() {
    super(new DynatraceExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "api_token: " + TOKEN + "\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", "Api-Token " + TOKEN);
  }
}
