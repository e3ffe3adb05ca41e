package dev.genainormalizer.exporter.mlflow;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractVendorExporterContractTest;
import dev.genainormalizer.exporter.ExporterFactory;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.TestCollector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against an in-process MLflow backend serving {@value #PATH} only. */
class MlflowExporterContractTest extends AbstractVendorExporterContractTest {
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
    return new MlflowExporterFactory();
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
        + "experiment_id: \"42\"\n"
        + "username: alice\n"
        + "password: " + SECRET + "\n";
  }

  @Override
  protected String expectedPath() {
    return PATH;
  }

  @Override
  protected Map<String, String> expectedHeaders() {
    return Map.of("x-mlflow-experiment-id", "42", "authorization", basic("alice", SECRET));
  }
}
