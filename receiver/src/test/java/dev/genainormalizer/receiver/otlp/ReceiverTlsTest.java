package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.TlsServerConfig;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.ReceiverSettings;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls:} with and without client certificates. The certificates are self-signed, so each is
 * its own CA; they are generated once for the class because that is slow on a loaded machine.
 */
class ReceiverTlsTest {
  private static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");

  @RegisterExtension
  @Order(1)
  static final SelfSignedCertificateExtension server =
      new SelfSignedCertificateExtension("localhost");

  @RegisterExtension
  @Order(2)
  static final SelfSignedCertificateExtension client = new SelfSignedCertificateExtension("client");

  @RegisterExtension
  @Order(3)
  static final SelfSignedCertificateExtension stranger =
      new SelfSignedCertificateExtension("localhost");

  private static final List<AutoCloseable> closeables = new ArrayList<>();
  private static final ExportTraceServiceRequest REQUEST =
      TestTraces.fixture("kong-3.13-chat.json");

  @AfterAll
  static void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void tlsWithTheRightCaWorksAndTheWrongCaFails() {
    final ReceiverHarness h =
        start(
            new TlsServerConfig(path(server.certificateFile()), path(server.privateKeyFile()), ""));
    assertThat(post(h, factory(server.certificateFile(), null)).status()).isEqualTo(HttpStatus.OK);
    assertThat(grpc(h, factory(server.certificateFile(), null)).export(REQUEST)).isNotNull();
    assertThat(h.consumer.batches()).hasSize(2);

    final Throwable wrongCa =
        catchThrowable(() -> post(h, factory(stranger.certificateFile(), null)));
    assertThat(wrongCa).isNotNull();
    final Throwable grpcWrongCa =
        catchThrowable(() -> grpc(h, factory(stranger.certificateFile(), null)).export(REQUEST));
    assertThat(grpcWrongCa).isNotNull();
    // plaintext against a TLS port does not get through either
    final Throwable plaintext =
        catchThrowable(
            () ->
                WebClient.of(h.httpUri())
                    .prepare()
                    .post("/v1/traces")
                    .content(PROTOBUF, REQUEST.toByteArray())
                    .execute()
                    .aggregate()
                    .join());
    assertThat(plaintext).isNotNull();
    assertThat(h.consumer.batches()).hasSize(2);
  }

  @Test
  void mutualTlsNeedsAClientCertificateFromTheClientCa() {
    final ReceiverHarness h =
        start(
            new TlsServerConfig(
                path(server.certificateFile()),
                path(server.privateKeyFile()),
                path(client.certificateFile())));
    final ClientFactory good = factory(server.certificateFile(), client);
    assertThat(post(h, good).status()).isEqualTo(HttpStatus.OK);
    grpc(h, good).export(REQUEST);
    assertThat(h.consumer.batches()).hasSize(2);

    // no client certificate
    assertThat(catchThrowable(() -> post(h, factory(server.certificateFile(), null)))).isNotNull();
    // a client certificate the client CA did not sign
    assertThat(catchThrowable(() -> post(h, factory(server.certificateFile(), stranger))))
        .isNotNull();
    assertThat(
            catchThrowable(
                () -> grpc(h, factory(server.certificateFile(), stranger)).export(REQUEST)))
        .isNotNull();
    assertThat(h.consumer.batches()).hasSize(2);
  }

  @Test
  void unreadableKeyFailsCreateNamingTheKeys() {
    final OtlpReceiverConfig config =
        ReceiverHarness.loopback(
            null,
            null,
            new TlsServerConfig(
                path(server.certificateFile()), path(server.certificateFile()), ""));
    assertThatThrownBy(
            () ->
                new OtlpReceiverFactory()
                    .create(
                        config,
                        new ReceiverSettings(
                            ComponentId.parse("otlp/tls"),
                            new RecordingConsumer(),
                            new SimpleMeterRegistry(),
                            MemoryBudget.unlimited())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.cert_file/key_file");
  }

  @Test
  void validateNamesMissingFilesAndPairs() {
    assertThat(new TlsServerConfig("/nonexistent/cert.pem", "", "").validate())
        .containsExactly(
            "key_file: required when cert_file is set",
            "cert_file: '/nonexistent/cert.pem' (expected: a readable PEM file)");
    assertThat(new TlsServerConfig("", "", path(client.certificateFile())).validate())
        .containsExactly(
            "cert_file: required when client_ca_file is set (mutual TLS needs server TLS)");
    assertThat(TlsServerConfig.defaults().validate()).isEmpty();
  }

  private static ReceiverHarness start(TlsServerConfig tls) {
    final ReceiverHarness h = new ReceiverHarness(ReceiverHarness.loopback(null, null, tls));
    closeables.add(h);
    return h;
  }

  private static ClientFactory factory(File trusted, SelfSignedCertificateExtension clientCert) {
    final ClientFactory f =
        ClientFactory.builder()
            .tlsCustomizer(
                b -> {
                  b.trustManager(trusted);
                  if (clientCert != null) {
                    b.keyManager(clientCert.certificateFile(), clientCert.privateKeyFile());
                  }
                })
            .build();
    closeables.add(f);
    return f;
  }

  /** The certificate is for {@code localhost}; connect to the loopback address it was bound to. */
  private static Endpoint endpoint(ReceiverHarness h, String protocol) {
    return Endpoint.of("localhost", h.port(protocol)).withIpAddr("127.0.0.1");
  }

  private static AggregatedHttpResponse post(ReceiverHarness h, ClientFactory f) {
    return WebClient.builder(SessionProtocol.HTTPS, endpoint(h, "http"))
        .factory(f)
        .responseTimeout(Duration.ofSeconds(60))
        .build()
        .prepare()
        .post("/v1/traces")
        .content(PROTOBUF, REQUEST.toByteArray())
        .execute()
        .aggregate()
        .join();
  }

  private static TraceServiceBlockingStub grpc(ReceiverHarness h, ClientFactory f) {
    return GrpcClients.builder(SessionProtocol.HTTPS, endpoint(h, "grpc"))
        .factory(f)
        .responseTimeout(Duration.ofSeconds(60))
        .build(TraceServiceBlockingStub.class);
  }

  private static String path(File f) {
    return f.getAbsolutePath();
  }
}
