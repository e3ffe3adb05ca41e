package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.helper.RetryableExportException;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
  private static Server sink;
  private static final TraceBatch BATCH = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  @BeforeAll
  static void start() {
    sink = Server.builder().https(0).tls(serverCert.certificateFile(), serverCert.privateKeyFile())
        .service(GrpcService.builder().addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request,
              StreamObserver<ExportTraceServiceResponse> observer) {
            RECEIVED.add(request);
            observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
            observer.onCompleted();
          }
        }).build())
        .build();
    sink.start().join();
  }

  @AfterAll
  static void stop() {
    sink.stop().join();
  }

  private static void send(TlsClientConfig tls) throws Exception {
    try (OtlpGrpcSender sender = OtlpGrpcSender.builder()
        .endpoint("https://localhost:" + sink.activeLocalPort()).tls(tls).build()) {
      sender.send(BATCH).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void customCaWorksAndTheDefaultTrustStoreFails() throws Exception {
    RECEIVED.clear();
    send(new TlsClientConfig(serverCert.certificateFile().getPath(), "", "", false));
    assertThat(RECEIVED).containsExactly(BATCH.request());

    final Throwable t = catchThrowable(() -> send(TlsClientConfig.defaults()));
    assertThat(t).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableExportException.class);
    assertThat(RECEIVED).hasSize(1);
  }

  @Test
  void tlsOnAPlaintextEndpointIsAValidationError() {
    final OtlpExporterConfig c = new OtlpExporterConfig("collector:4317", null, null, null, null,
        null, null, null, new TlsClientConfig("", "", "", true));
    assertThat(c.validate()).containsExactly(
        "tls: set, but the endpoint is plaintext (expected: https://host:port)");
  }
}
