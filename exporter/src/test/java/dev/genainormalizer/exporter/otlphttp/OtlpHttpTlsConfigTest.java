package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.RetryableExportException;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.netty.handler.ssl.ClientAuth;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls:} of the otlphttp exporter against a TLS sink whose certificate the JVM does not
 * trust.
 */
class OtlpHttpTlsConfigTest {
  @RegisterExtension
  @Order(1)
  static final SelfSignedCertificateExtension serverCert =
      new SelfSignedCertificateExtension("localhost");

  @RegisterExtension
  @Order(2)
  static final SelfSignedCertificateExtension clientCert =
      new SelfSignedCertificateExtension("exporter");

  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
  private static Server tlsSink;
  private static Server mtlsSink;
  private static final TraceBatch BATCH = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  @BeforeAll
  static void start() {
    tlsSink = sink(false);
    mtlsSink = sink(true);
  }

  @AfterAll
  static void stop() {
    tlsSink.stop().join();
    mtlsSink.stop().join();
  }

  private static Server sink(boolean mutual) {
    final var sb =
        Server.builder().https(0).tls(serverCert.certificateFile(), serverCert.privateKeyFile());
    if (mutual) {
      sb.tlsCustomizer(
          b -> b.trustManager(clientCert.certificateFile()).clientAuth(ClientAuth.REQUIRE));
    }
    final Server s =
        sb.service(
                "/v1/traces",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                agg -> {
                                  try {
                                    RECEIVED.add(
                                        ExportTraceServiceRequest.parseFrom(agg.content().array()));
                                    return HttpResponse.of(HttpStatus.OK);
                                  } catch (Exception e) {
                                    return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                  }
                                })))
            .build();
    s.start().join();
    return s;
  }

  private static URI uri(Server s) {
    return URI.create("https://localhost:" + s.activeLocalPort() + "/v1/traces");
  }

  private static void send(Server s, TlsClientConfig tls) throws Exception {
    try (OtlpHttpSender sender =
        OtlpHttpSender.builder().endpoint(uri(s)).compression(Compression.NONE).tls(tls).build()) {
      sender.send(BATCH).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void customCaWorks() throws Exception {
    RECEIVED.clear();
    send(tlsSink, new TlsClientConfig(serverCert.certificateFile().getPath(), "", "", false));
    assertThat(RECEIVED).containsExactly(BATCH.request());
  }

  @Test
  void withoutTheCaTheHandshakeFailsAndIsRetryable() {
    final Throwable t = catchThrowable(() -> send(tlsSink, TlsClientConfig.defaults()));
    assertThat(t)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableExportException.class);
  }

  @Test
  void insecureSkipVerifyWorksWithoutTheCa() throws Exception {
    RECEIVED.clear();
    send(tlsSink, new TlsClientConfig("", "", "", true));
    assertThat(RECEIVED).hasSize(1);
  }

  @Test
  void clientCertificateForMutualTls() throws Exception {
    RECEIVED.clear();
    final String ca = serverCert.certificateFile().getPath();
    assertThat(catchThrowable(() -> send(mtlsSink, new TlsClientConfig(ca, "", "", false))))
        .isNotNull();
    send(
        mtlsSink,
        new TlsClientConfig(
            ca,
            clientCert.certificateFile().getPath(),
            clientCert.privateKeyFile().getPath(),
            false));
    assertThat(RECEIVED).hasSize(1);
  }

  @Test
  void unloadableCaFailsAtBuildNamingTheKey() {
    // a private key is not a CA certificate
    assertThatThrownBy(
            () ->
                OtlpHttpSender.builder()
                    .endpoint(uri(tlsSink))
                    .tls(new TlsClientConfig(serverCert.privateKeyFile().getPath(), "", "", false))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tls.ca_file: cannot load");
  }

  @Test
  void validation() {
    final TlsClientConfig tls =
        new TlsClientConfig(serverCert.certificateFile().getPath(), "", "", true);
    assertThat(tls.validate())
        .containsExactly(
            "insecure_skip_verify: true together with ca_file (expected: one of them)");
    assertThat(new TlsClientConfig("", "/nonexistent.pem", "", false).validate())
        .containsExactly(
            "key_file: required when cert_file is set",
            "cert_file: '/nonexistent.pem' (expected: a readable PEM file)");
    final OtlpHttpExporterConfig plaintext =
        new OtlpHttpExporterConfig(
            new HttpClientSettings(
                "http://a:4318",
                null,
                null,
                null,
                new TlsClientConfig("", "", "", true),
                null,
                null),
            null,
            null,
            null,
            null);
    assertThat(plaintext.validate())
        .containsExactly("tls: set, but the endpoint is not https:// (expected: an https:// URL)");
  }
}
