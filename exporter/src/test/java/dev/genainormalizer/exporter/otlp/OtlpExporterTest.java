package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.GrpcBackend;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.Wire;
import dev.genainormalizer.exporter.testing.Yaml;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a real OTLP/gRPC backend. */
class OtlpExporterTest extends AbstractExporterContractTest {
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension static final ServerExtension server = GrpcBackend.server(COLLECTOR);

  @Override
  protected TestCollector collector() {
    return COLLECTOR;
  }

  @Override
  protected String componentType() {
    return OtlpExporterFactory.TYPE;
  }

  @Override
  protected boolean supportsRemoteBackend() {
    return true;
  }

  @Override
  protected Wire wire() {
    return Wire.GRPC;
  }

  @Override
  protected String endpoint() {
    return "127.0.0.1:" + server.httpPort();
  }

  @Override
  protected TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return Yaml.exporter(
        new OtlpExporterFactory(),
        "endpoint: "
            + OptionsYaml.quoted(o.endpoint())
            + "\n"
            + OptionsYaml.headers(o.headers(), "")
            + OptionsYaml.common(o, ""),
        settings);
  }

  @Test
  void readsTheRetryInfoDelay() {
    final com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(2)
                                .setNanos(500_000_000))
                        .build()))
            .build();

    assertThat(OtlpGrpcSender.retryDelay(StatusProto.toStatusRuntimeException(status)))
        .isEqualTo(Duration.ofMillis(2500));
    assertThat(OtlpGrpcSender.retryDelay(Status.RESOURCE_EXHAUSTED.asRuntimeException())).isNull();
  }
}
