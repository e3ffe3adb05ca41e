package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.helper.RetryableExportException;
import dev.genainormalizer.exporter.testing.TlsGrpcSink;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tls.ca_file} of the otlp (gRPC) exporter against a sink the JVM does not trust. */
class OtlpGrpcTlsConfigTest {
  @RegisterExtension
  static final SelfSignedCertificateExtension serverCert =
      new SelfSignedCertificateExtension("localhost");

  private static TlsGrpcSink sink;
  private static final TraceBatch BATCH = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  @BeforeAll
  static void start() {
    sink = new TlsGrpcSink(serverCert.certificateFile(), serverCert.privateKeyFile());
  }

  @AfterAll
  static void stop() {
    sink.close();
  }

  private static void send(TlsClientConfig tls) throws Exception {
    try (OtlpGrpcSender sender =
        OtlpGrpcSender.builder().endpoint("https://localhost:" + sink.port()).tls(tls).build()) {
      sender.send(BATCH).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void customCaWorksAndTheDefaultTrustStoreFails() throws Exception {
    sink.clear();
    send(new TlsClientConfig(serverCert.certificateFile().getPath(), "", "", false));
    assertThat(sink.received()).containsExactly(BATCH.request());

    final Throwable t = catchThrowable(() -> send(TlsClientConfig.defaults()));
    assertThat(t)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableExportException.class);
    assertThat(sink.received()).hasSize(1);
  }

  @Test
  void tlsOnAPlaintextEndpointIsAValidationError() {
    final OtlpExporterConfig c =
        new OtlpExporterConfig(
            "collector:4317",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new TlsClientConfig("", "", "", true));
    assertThat(c.validate())
        .containsExactly("tls: set, but the endpoint is plaintext (expected: https://host:port)");
  }
}
