package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.dynatrace.DynatraceExporterFactory;
import dev.genainormalizer.exporter.fiddler.FiddlerExporterFactory;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.langfuse.LangfuseExporterFactory;
import dev.genainormalizer.exporter.mlflow.MlflowExporterFactory;
import dev.genainormalizer.exporter.openobserve.OpenObserveExporterFactory;
import dev.genainormalizer.exporter.otlphttp.OtlpHttpSender;
import dev.genainormalizer.exporter.phoenix.PhoenixExporterFactory;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tls} of every vendor exporter, against an HTTPS sink whose self-signed certificate the JVM
 * does not trust: delivered with the right {@code ca_file}, retried and given up with a wrong one.
 */
class VendorTlsTest {
  @RegisterExtension
  @Order(1)
  static final SelfSignedCertificateExtension serverCert =
      new SelfSignedCertificateExtension("localhost");

  /** Another CA for the same name: the handshake must fail. */
  @RegisterExtension
  @Order(2)
  static final SelfSignedCertificateExtension otherCert =
      new SelfSignedCertificateExtension("localhost");

  private static final TraceBatch BATCH = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

  /** Fast retries that give up after 1s, so a failing handshake ends in send_failed. */
  private static final String RETRY =
      """
      compression: none
      retry_on_failure:
        initial_interval: 10ms
        max_interval: 50ms
        max_elapsed_time: 1s
      """;

  private static final List<String> PATHS = new CopyOnWriteArrayList<>();
  private static Server sink;

  /** A vendor exporter: its type, factory, the keys it requires besides endpoint, and its path. */
  record Vendor(String type, ExporterFactory<?> factory, String requiredKeys, String path) {
    @Override
    public String toString() {
      return type;
    }
  }

  static Stream<Vendor> vendors() {
    return Stream.of(
        new Vendor(
            "fiddler",
            new FiddlerExporterFactory(),
            "api_key: k\napplication_id: 0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a\n",
            "/v1/traces"),
        new Vendor(
            "langfuse",
            new LangfuseExporterFactory(),
            "public_key: pk-lf-1\nsecret_key: sk-lf-1\n",
            "/api/public/otel/v1/traces"),
        new Vendor("mlflow", new MlflowExporterFactory(), "experiment_id: \"1\"\n", "/v1/traces"),
        new Vendor(
            "openobserve",
            new OpenObserveExporterFactory(),
            "organization: acme\nusername: a@example.com\npassword: p\n",
            "/api/acme/v1/traces"),
        new Vendor(
            "dynatrace",
            new DynatraceExporterFactory(),
            "api_token: dt0c01." + "A".repeat(24) + "." + "B".repeat(64) + "\n",
            "/api/v2/otlp/v1/traces"),
        new Vendor("phoenix", new PhoenixExporterFactory(), "", "/v1/traces"));
  }

  @BeforeAll
  static void start() {
    sink =
        Server.builder()
            .https(0)
            .tls(serverCert.certificateFile(), serverCert.privateKeyFile())
            .serviceUnder(
                "/",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                agg -> {
                                  PATHS.add(ctx.path());
                                  return HttpResponse.of(HttpStatus.OK);
                                })))
            .build();
    sink.start().join();
  }

  @AfterAll
  static void stop() {
    sink.stop().join();
  }

  @BeforeEach
  void clear() {
    PATHS.clear();
  }

  private static String https() {
    return "https://localhost:" + sink.activeLocalPort();
  }

  private static String tls(String... lines) {
    return "tls:\n" + Stream.of(lines).map(l -> "  " + l + "\n").reduce("", String::concat);
  }

  private static Record load(Vendor v, String yaml) throws ConfigException {
    return load(v.factory(), yaml);
  }

  private static <C extends Record> C load(ExporterFactory<C> f, String yaml)
      throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(f))).loadComponent(f, yaml, Map.of());
  }

  private static TraceExporter create(Vendor v, String yaml, MeterRegistry[] registry)
      throws ConfigException {
    final ExporterSettings settings = VendorConfigs.settings(v.type() + "/tls");
    registry[0] = settings.meterRegistry();
    return create(v.factory(), yaml, settings);
  }

  private static <C extends Record> TraceExporter create(
      ExporterFactory<C> f, String yaml, ExporterSettings settings) throws ConfigException {
    return f.create(load(f, yaml), settings);
  }

  private static double sendFailed(MeterRegistry registry) {
    return registry.find(ExporterTelemetry.SEND_FAILED_SPANS).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void deliversWithTheServersCa(Vendor v) throws Exception {
    final MeterRegistry[] registry = new MeterRegistry[1];
    final TraceExporter exporter =
        create(
            v,
            "endpoint: "
                + https()
                + "\n"
                + v.requiredKeys()
                + RETRY
                + tls("ca_file: '" + serverCert.certificateFile().getPath() + "'"),
            registry);
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until(v + " delivered over TLS", () -> !PATHS.isEmpty(), PATHS::toString);
      assertThat(PATHS).allMatch(v.path()::equals);
      assertThat(sendFailed(registry[0])).isZero();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void aWrongCaIsRetriedThenGivenUpAndNothingArrives(Vendor v) throws Exception {
    final MeterRegistry[] registry = new MeterRegistry[1];
    final TraceExporter exporter =
        create(
            v,
            "endpoint: "
                + https()
                + "\n"
                + v.requiredKeys()
                + RETRY
                + tls("ca_file: '" + otherCert.certificateFile().getPath() + "'"),
            registry);
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until(v + " gave the batch up", () -> sendFailed(registry[0]) > 0);
      assertThat(PATHS).isEmpty();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void insecureSkipVerifyDeliversAndWarnsLoudlyAtStart(Vendor v) throws Exception {
    final Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(OtlpHttpSender.class);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    final MeterRegistry[] registry = new MeterRegistry[1];
    final TraceExporter exporter;
    try {
      exporter =
          create(
              v,
              "endpoint: "
                  + https()
                  + "\n"
                  + v.requiredKeys()
                  + RETRY
                  + tls("insecure_skip_verify: true"),
              registry);
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains(v.path())
                  .contains("tls.insecure_skip_verify is true")
                  .contains("NOT verified");
            });
    exporter.start();
    try {
      assertThat(exporter.export(BATCH)).isTrue();
      Await.until(v + " delivered without verification", () -> !PATHS.isEmpty(), PATHS::toString);
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void defaultIsTheJvmTrustStore(Vendor v) throws Exception {
    final Record c = load(v, "endpoint: " + https() + "\n" + v.requiredKeys());
    assertThat(tlsOf(c)).isEqualTo(TlsClientConfig.defaults());
    // and with it the self-signed sink is not trusted: a customized block is what makes it work
    final MeterRegistry[] registry = new MeterRegistry[1];
    final TraceExporter exporter =
        create(v, "endpoint: " + https() + "\n" + v.requiredKeys() + RETRY, registry);
    exporter.start();
    try {
      exporter.export(BATCH);
      Await.until(v + " gave the batch up", () -> sendFailed(registry[0]) > 0);
      assertThat(PATHS).isEmpty();
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void validationNamesTheKey(Vendor v) {
    final String prefix = "exporters." + v.type() + ".";
    assertThat(
            errors(
                v,
                "endpoint: http://localhost:4318\n"
                    + v.requiredKeys()
                    + tls("ca_file: '" + serverCert.certificateFile().getPath() + "'")))
        .singleElement()
        .asString()
        .startsWith(
            prefix + "tls: set, but the endpoint is not https:// (expected: an https:// URL)");
    assertThat(
            errors(
                v,
                "endpoint: "
                    + https()
                    + "\n"
                    + v.requiredKeys()
                    + tls("cert_file: '" + serverCert.certificateFile().getPath() + "'")))
        .singleElement()
        .asString()
        .startsWith(prefix + "tls.key_file: required when cert_file is set");
    assertThat(
            errors(
                v,
                "endpoint: "
                    + https()
                    + "\n"
                    + v.requiredKeys()
                    + tls(
                        "ca_file: '" + serverCert.certificateFile().getPath() + "'",
                        "insecure_skip_verify: true")))
        .singleElement()
        .asString()
        .startsWith(
            prefix
                + "tls.insecure_skip_verify: true together with ca_file (expected: one of them)");
    assertThat(
            errors(
                v,
                "endpoint: "
                    + https()
                    + "\n"
                    + v.requiredKeys()
                    + tls("ca_file: /nonexistent/ca.pem")))
        .singleElement()
        .asString()
        .startsWith(prefix + "tls.ca_file: '/nonexistent/ca.pem' (expected: a readable PEM file)");
    assertThat(errors(v, "endpoint: " + https() + "\n" + v.requiredKeys() + tls("insecure: true")))
        .singleElement()
        .asString()
        .contains("tls")
        .contains("insecure");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void aCaFileThatIsNotPemFailsAtCreateNamingTheKey(Vendor v) {
    // a private key is readable but not a CA certificate
    assertThatThrownBy(
            () ->
                create(
                    v,
                    "endpoint: "
                        + https()
                        + "\n"
                        + v.requiredKeys()
                        + tls("ca_file: '" + serverCert.privateKeyFile().getPath() + "'"),
                    new MeterRegistry[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tls.ca_file: cannot load");
  }

  private static List<String> errors(Vendor v, String yaml) {
    try {
      load(v, yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError(v + " loaded without errors:\n" + yaml);
  }

  private static Object tlsOf(Record c) {
    return ((VendorConfig) c).http().tls();
  }
}
