package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.exporter.testing.TlsGrpcSink;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code protocol.otlp.tls}: the backends are reached over TLS, verified against {@code ca_file}.
 */
class LoadBalancingTlsTest {
  @RegisterExtension
  @Order(1)
  static final SelfSignedCertificateExtension serverCert =
      new SelfSignedCertificateExtension("localhost");

  @RegisterExtension
  @Order(2)
  static final SelfSignedCertificateExtension otherCert =
      new SelfSignedCertificateExtension("localhost");

  private static final LoadBalancingExporterFactory FACTORY = new LoadBalancingExporterFactory();
  private static final TraceBatch BATCH = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
  private static TlsGrpcSink backend;

  @BeforeAll
  static void start() {
    backend = new TlsGrpcSink(serverCert.certificateFile(), serverCert.privateKeyFile());
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  private static String yaml(String... tlsLines) {
    final StringBuilder b =
        new StringBuilder(
            """
        protocol:
          otlp:
            compression: none
            retry_on_failure:
              initial_interval: 10ms
              max_interval: 50ms
              max_elapsed_time: 1s
        """);
    if (tlsLines.length > 0) {
      b.append("    tls:\n");
      for (String l : tlsLines) {
        b.append("      ").append(l).append('\n');
      }
    }
    return b.append("resolver:\n  static:\n    hostnames: [\"localhost:")
        .append(backend.port())
        .append("\"]\n")
        .toString();
  }

  private static LoadBalancingExporterConfig load(String yaml) throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(FACTORY)))
        .loadComponent(FACTORY, yaml, Map.of());
  }

  private static List<String> errors(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError("loaded without errors:\n" + yaml);
  }

  private static double sendFailed(ExporterSettings settings) {
    return settings.meterRegistry().find(ExporterTelemetry.SEND_FAILED_SPANS).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void deliversToATlsBackendWithItsCa() throws Exception {
    final ExporterSettings settings = VendorConfigs.settings("loadbalancing/tls");
    final TraceExporter exporter =
        FACTORY.create(
            load(yaml("ca_file: '" + serverCert.certificateFile().getPath() + "'")), settings);
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until("the backend received the batch over TLS", () -> !backend.received().isEmpty());
      assertThat(backend.received().get(0).getResourceSpansCount()).isPositive();
      assertThat(sendFailed(settings)).isZero();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrongCaIsRetriedThenGivenUpAndNothingArrives() throws Exception {
    final ExporterSettings settings = VendorConfigs.settings("loadbalancing/tls");
    final TraceExporter exporter =
        FACTORY.create(
            load(yaml("ca_file: '" + otherCert.certificateFile().getPath() + "'")), settings);
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until("the batch was given up", () -> sendFailed(settings) > 0);
      assertThat(backend.received()).isEmpty();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutTlsTheBackendsArePlaintextAsBefore() throws Exception {
    final LoadBalancingExporterConfig c = load(yaml());
    assertThat(c.protocol().otlp().tls()).isEqualTo(TlsClientConfig.defaults());
    assertThat(c.protocol().otlp().usesTls()).isFalse();
    // plaintext gRPC against the TLS-only backend never delivers
    final ExporterSettings settings = VendorConfigs.settings("loadbalancing/plain");
    final TraceExporter exporter = FACTORY.create(c, settings);
    exporter.start();
    try {
      exporter.export(BATCH);
      Await.until("the batch was given up", () -> sendFailed(settings) > 0);
      assertThat(backend.received()).isEmpty();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void insecureSkipVerifyDeliversAndWarnsLoudlyAtCreate() throws Exception {
    final Logger logger =
        (Logger) org.slf4j.LoggerFactory.getLogger(LoadBalancingExporterFactory.class);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    final ExporterSettings settings = VendorConfigs.settings("loadbalancing/insecure");
    final TraceExporter exporter;
    try {
      exporter = FACTORY.create(load(yaml("insecure_skip_verify: true")), settings);
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("loadbalancing/insecure")
                  .contains("tls.insecure_skip_verify is true")
                  .contains("NOT verified");
            });
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until("the backend received the batch", () -> !backend.received().isEmpty());
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void validationNamesTheKey() {
    assertThat(errors(yaml("cert_file: '" + serverCert.certificateFile().getPath() + "'")))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.loadbalancing.protocol.otlp.tls.key_file: required when cert_file is set");
    assertThat(errors(yaml("ca_file: /nonexistent/ca.pem")))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.loadbalancing.protocol.otlp.tls.ca_file: '/nonexistent/ca.pem' (expected: a"
                + " readable PEM file)");
    assertThat(
            errors(
                yaml(
                    "ca_file: '" + serverCert.certificateFile().getPath() + "'",
                    "insecure_skip_verify: true")))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.loadbalancing.protocol.otlp.tls"
                + ".insecure_skip_verify: true together with ca_file (expected: one of them)");
  }

  @Test
  void aCaFileThatIsNotPemFailsAtCreateNotWhenABackendJoins() {
    assertThatThrownBy(
            () ->
                FACTORY.create(
                    load(yaml("ca_file: '" + serverCert.privateKeyFile().getPath() + "'")),
                    VendorConfigs.settings("loadbalancing/badpem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tls.ca_file: cannot load");
  }
}
