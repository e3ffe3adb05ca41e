package dev.genainormalizer.exporter.langfuse;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process Langfuse backend serving {@value #PATH} only. */
class LangfuseExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/api/public/otel/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();
  static final String PUBLIC_KEY = "pk-lf-contract";

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  LangfuseExporterContractTest() {
    super(new LangfuseExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "public_key: " + PUBLIC_KEY + "\n" + "secret_key: " + SECRET + "\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("authorization", basic(PUBLIC_KEY, SECRET), "x-langfuse-ingestion-version", "4");
  }
}
