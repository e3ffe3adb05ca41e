package dev.genainormalizer.exporter.mlflow;

import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process MLflow backend serving {@value #PATH} only. */
class MlflowExporterContractTest extends AbstractVendorExporterContractTest {
  static final String PATH = "/v1/traces";
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension static final ServerExtension server = HttpBackend.server(COLLECTOR, PATH);

  MlflowExporterContractTest() {
    super(new MlflowExporterFactory(), COLLECTOR, server, PATH);
  }

  @Override
  protected String vendorYaml() {
    return "experiment_id: \"42\"\n" + "username: alice\n" + "password: " + SECRET + "\n";
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("x-mlflow-experiment-id", "42", "authorization", basic("alice", SECRET));
  }
}
