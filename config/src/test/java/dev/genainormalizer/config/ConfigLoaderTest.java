package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.genainormalizer.config.TestComponents.EndpointConfig;
import dev.genainormalizer.config.TestComponents.Mode;
import dev.genainormalizer.config.TestComponents.NoopConfig;
import dev.genainormalizer.config.TestComponents.ProtocolsConfig;
import dev.genainormalizer.config.TestComponents.TestExporterConfig;
import dev.genainormalizer.config.TestComponents.TestProcessorConfig;
import dev.genainormalizer.config.TestComponents.TestReceiverConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private static final ComponentId RECEIVER = ComponentId.of("test_receiver");
  private static final ComponentId EXPORTER = ComponentId.of("test_exporter");

  private final ConfigLoader loader = new ConfigLoader(TestComponents.registry());

  @Test
  void fullConfigBindsEveryKey() throws Exception {
    final NormalizerConfig config = load("config.yaml", Map.of());

    assertThat(config.receivers())
        .containsExactly(
            Map.entry(
                RECEIVER,
                new TestReceiverConfig(
                    new ProtocolsConfig(
                        new EndpointConfig("127.0.0.1:14317", 16),
                        new EndpointConfig("127.0.0.1:14318", 4)),
                    Map.of("a", "1", "b", "2"))));
    assertThat(config.processors())
        .containsExactly(
            Map.entry(
                ComponentId.of("test_processor"),
                new TestProcessorConfig(
                    List.of("kong", "kong."), Duration.ofSeconds(90), Mode.STRICT)),
            Map.entry(ComponentId.of("noop"), new NoopConfig()));
    final TestExporterConfig a =
        new TestExporterConfig(
            "https://a.example.com",
            Duration.ofMillis(250),
            new Secret("s3cr3t"),
            Map.of("x-default", new Secret("d"), "x-tenant", new Secret("acme")),
            new RetryConfig(
                false,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofHours(1),
                2.0,
                0.25),
            new QueueConfig(50, 2),
            List.of("x", "y"),
            7,
            false,
            Duration.ofMinutes(1),
            ByteSize.ofBytes(800_000_000L));
    assertThat(config.exporters())
        .containsExactly(
            Map.entry(ComponentId.parse("test_exporter/a"), a),
            Map.entry(
                ComponentId.parse("test_exporter/b"),
                TestExporterConfig.defaults().withEndpoint("https://b.example.com")),
            Map.entry(ComponentId.of("debug"), new NoopConfig()));

    final ServiceConfig service = config.service();
    assertThat(service.pipelines()).containsOnlyKeys("traces", "traces/second");
    assertThat(service.pipelines().get("traces"))
        .isEqualTo(
            new PipelineConfig(
                List.of(RECEIVER),
                List.of(ComponentId.of("test_processor"), ComponentId.of("noop")),
                List.of(
                    ComponentId.parse("test_exporter/a"), ComponentId.parse("test_exporter/b"))));
    assertThat(service.pipelines().get("traces/second"))
        .isEqualTo(
            new PipelineConfig(List.of(RECEIVER), List.of(), List.of(ComponentId.of("debug"))));
    assertThat(service.telemetry().admin().endpoint()).isEqualTo("127.0.0.1:9999");
    assertThat(service.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(service.memoryLimitBytes()).isEqualTo(512L * 1024 * 1024);
  }

  @Test
  void emptyBlocksMeanDefaults() throws Exception {
    final NormalizerConfig config = load("default.yaml", Map.of());

    assertThat(config.receivers())
        .containsExactly(Map.entry(RECEIVER, TestReceiverConfig.defaults()));
    assertThat(config.processors())
        .containsExactly(
            Map.entry(ComponentId.of("test_processor"), TestProcessorConfig.defaults()));
    assertThat(config.exporters())
        .containsExactly(
            Map.entry(
                EXPORTER, TestExporterConfig.defaults().withEndpoint("http://localhost:4318")));
    final ServiceConfig service = config.service();
    assertThat(service.telemetry()).isEqualTo(TelemetryConfig.defaults());
    assertThat(service.shutdownTimeout()).isEqualTo(ServiceConfig.DEFAULT_SHUTDOWN_TIMEOUT);
    assertThat(service.memoryLimitBytes()).isZero();
  }

  @Test
  void overlayMergesMapsAndReplacesListsAndScalars() throws Exception {
    final NormalizerConfig config = load("overlay.yaml", Map.of());

    final TestReceiverConfig receiver = (TestReceiverConfig) config.receivers().get(RECEIVER);
    assertThat(receiver.protocols().grpc()).isEqualTo(new EndpointConfig("0.0.0.0:4317", 4));
    assertThat(receiver.protocols().http()).isEqualTo(new EndpointConfig("0.0.0.0:4318", 32));
    assertThat(receiver.labels()).isEqualTo(Map.of("a", "1", "b", "2"));

    final TestExporterConfig exporter = (TestExporterConfig) config.exporters().get(EXPORTER);
    assertThat(exporter.headers())
        .isEqualTo(Map.of("x-default", new Secret("d"), "x-tenant", new Secret("acme")));
    assertThat(exporter.retryOnFailure())
        .isEqualTo(
            new RetryConfig(
                true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO, 1.5, 0.5));
    assertThat(exporter.tags()).containsExactly("only");
    assertThat(exporter.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void expandsEnvironmentAndFileReferences() throws Exception {
    final Map<String, String> env =
        Map.of(
            "HOST", "collector.example.com",
            "API_KEY", "k-123",
            "BATCH", "42",
            "COMPRESS", "false",
            "EMPTY", "",
            "QUOTED", "0042",
            "NUMBER", "42");

    final TestExporterConfig exporter =
        (TestExporterConfig) load("env.yaml", env).exporters().get(EXPORTER);

    assertThat(exporter.endpoint()).isEqualTo("https://collector.example.com:443/v1");
    assertThat(exporter.apiKey()).isEqualTo(new Secret("k-123"));
    assertThat(exporter.batchSize()).isEqualTo(42);
    assertThat(exporter.compression()).isFalse();
    assertThat(exporter.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(exporter.tags())
        .containsExactly("${env:NOT_EXPANDED}", "cost $5 or $5", "fallback", "0042", "xy", "42");
    // Relative to the config file's directory; the file's trailing newline is not part of the
    // value.
    assertThat(exporter.headers()).containsEntry("x-token", new Secret("file-token"));
  }

  @Test
  void fileReferencesFromTextResolveAgainstWorkingDirectoryOrAbsolutePath(@TempDir Path dir)
      throws Exception {
    final Path secret = dir.resolve("key.txt");
    Files.writeString(secret, "abs-secret\r\n");
    final String yaml =
        "receivers: {test_receiver: }\n"
            + "exporters:\n  test_exporter:\n    endpoint: http://x:1\n    api_key: ${file:"
            + secret
            + "}\n"
            + "service: {pipelines: {traces: {receivers: [test_receiver], exporters:"
            + " [test_exporter]}}}\n";

    final NormalizerConfig config = loader.load(yaml, "inline", Map.of());

    assertThat(((TestExporterConfig) config.exporters().get(EXPORTER)).apiKey())
        .isEqualTo(new Secret("abs-secret"));
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad(
            "bad_unknown_top_level_key.yaml",
            "extensions",
            3,
            "unknown key (expected one of: exporters, processors, receivers, service)"),
        bad(
            "bad_unknown_component_key.yaml",
            "exporters.test_exporter.endpont",
            6,
            "unknown key (expected one of: api_key, batch_size, compression, endpoint, headers,"
                + " max_payload, retry_on_failure, sending_queue, tags, timeout, token_refresh)"),
        bad(
            "bad_typo_nested_key.yaml",
            "receivers.test_receiver.protocols.htttp",
            4,
            "unknown key (expected one of: grpc, http)"),
        bad(
            "bad_typo_nested_key.yaml",
            "exporters.test_exporter.retry_on_failure.max_intervall",
            11,
            "unknown key (expected one of: enabled, initial_interval, max_elapsed_time,"
                + " max_interval, multiplier, randomization_factor)"),
        bad(
            "bad_wrong_type.yaml",
            "exporters.test_exporter.batch_size",
            6,
            "expected an integer, got 'many'"),
        bad(
            "bad_duration.yaml",
            "exporters.test_exporter.timeout",
            6,
            "expected a duration such as 250ms, 5s, 1m30s or 1h, got '5 sec'"),
        bad(
            "bad_duration_without_unit.yaml",
            "exporters.test_exporter.retry_on_failure.initial_interval",
            7,
            "expected a duration such as 250ms, 5s, 1m30s or 1h, got '5'"),
        bad(
            "bad_unknown_type.yaml",
            "exporters.foo",
            5,
            "unknown exporter type 'foo' (expected one of: debug, test_exporter)"),
        bad(
            "bad_id.yaml",
            "exporters.Test-Exporter/a",
            5,
            "invalid component id 'Test-Exporter/a'"),
        bad(
            "bad_undefined_pipeline_component.yaml",
            "service.pipelines.traces.processors[1]",
            12,
            "processor 'test_processor' is not defined in processors"),
        bad(
            "bad_undefined_pipeline_component.yaml",
            "service.pipelines.traces.exporters[1]",
            15,
            "exporter 'test_exporter/b' is not defined in exporters"),
        bad(
            "bad_missing_receivers.yaml",
            "service.pipelines.traces.receivers",
            5,
            "at least one receiver is required"),
        bad(
            "bad_missing_exporters.yaml",
            "service.pipelines.traces.exporters",
            7,
            "at least one exporter is required"),
        bad(
            "bad_non_traces_pipeline.yaml",
            "service.pipelines.metrics",
            10,
            "unsupported pipeline 'metrics': only traces pipelines exist (expected: traces or"
                + " traces/<name>)"),
        bad("bad_no_pipelines.yaml", "service.pipelines", 5, "at least one pipeline is required"),
        bad(
            "bad_duplicate_in_pipeline.yaml",
            "service.pipelines.traces.exporters[1]",
            9,
            "exporter 'debug' is listed twice"),
        bad("bad_missing_required.yaml", "exporters.test_exporter.endpoint", 4, "required"),
        bad(
            "bad_nested_validate.yaml",
            "exporters.test_exporter.retry_on_failure.max_interval",
            8,
            "1s (expected: >= initial_interval, 10s)"),
        bad(
            "bad_unset_env.yaml",
            "exporters.test_exporter.endpoint",
            5,
            "environment variable 'GN_TEST_UNSET_HOST' is not set"),
        bad("bad_missing_file.yaml", "exporters.test_exporter.api_key", 6, "no such file"),
        bad("bad_yaml_syntax.yaml", "", 6, "invalid YAML in "),
        bad(
            "bad_memory_limit.yaml",
            "service.memory_limit",
            6,
            "expected a size in bytes such as 1048576, 512KiB, 800MB or 1GiB, got 'lots'"),
        bad(
            "bad_service_key.yaml",
            "service.pipelines.traces.procesors",
            10,
            "unknown key (expected one of: exporters, processors, receivers)"),
        bad(
            "bad_service_key.yaml",
            "service.shutdown_timout",
            14,
            "unknown key (expected one of: memory_limit, pipelines, shutdown_timeout, telemetry)"),
        bad(
            "bad_service_key.yaml",
            "service.pipelines.traces/b.exporters[1]",
            13,
            "exporter 'missing' is not defined in exporters"),
        bad(
            "bad_helper_method_is_not_a_key.yaml",
            "processors.test_processor.strict",
            5,
            "unknown key (expected one of: drop_span_names, mode, trace_wait)"),
        bad(
            "bad_enum.yaml",
            "processors.test_processor.mode",
            5,
            "expected one of: lenient, strict, got 'sloppy'"),
        bad(
            "bad_block_not_mapping.yaml",
            "receivers.test_receiver",
            2,
            "expected a mapping of settings, got 'yes'"),
        bad(
            "bad_duplicate_key.yaml",
            "exporters.test_exporter.endpoint",
            6,
            "duplicate key (first at line 5)"),
        bad("bad_validate_many.yaml", "exporters.test_exporter.endpoint", 4, "required"),
        bad(
            "bad_validate_many.yaml",
            "exporters.test_exporter.batch_size",
            5,
            "0 (expected: >= 1)"),
        bad(
            "bad_validate_many.yaml",
            "exporters.test_exporter.sending_queue.queue_size",
            7,
            "0 (expected: >= 1)"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badConfigs")
  void badConfigIsReportedWithPathAndLine(String file, String path, int line, String fragment) {
    assertThatThrownBy(() -> load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .anySatisfy(
                        error -> {
                          assertThat(error.path()).isEqualTo(path);
                          assertThat(error.line()).isEqualTo(line);
                          assertThat(error.message()).contains(fragment);
                        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {":8888", "8888", "localhost:", "localhost:65536", "::1:8888"})
  void anAdminEndpointRunCouldNotBindFailsValidate(String endpoint) {
    final String yaml =
        "receivers:\n  test_receiver:\nexporters:\n  debug:\nservice:\n  telemetry:\n"
            + "    admin:\n      endpoint: \""
            + endpoint
            + "\"\n"
            + "  pipelines:\n    traces:\n      receivers: [test_receiver]\n      exporters: [debug]\n";
    assertThatThrownBy(() -> loader.load(yaml, "admin.yaml", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error -> {
                          assertThat(error.path()).isEqualTo("service.telemetry.admin.endpoint");
                          assertThat(error.message()).contains("expected: " + HostPort.EXPECTED);
                        }));
  }

  @Test
  void reportsEveryErrorOfAFileAtOnceSortedByLine() {
    assertThatThrownBy(() -> load("bad_many_errors.yaml", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ConfigError::path, ConfigError::line)
                    .containsExactly(
                        tuple("receivers.test_receiver.protocols.grpc.max_recv_msg_size_mib", 5),
                        tuple("exporters.test_exporter/a.token_refresh", 10),
                        tuple("exporters.test_exporter/a.headers.authorization", 12),
                        tuple("exporters.test_exporter/a.compresion", 14),
                        tuple("exporters.test_exporter/b.timeout", 17),
                        tuple("exporters.nope", 20),
                        tuple("service.pipelines.traces.receivers[1]", 24),
                        tuple("service.pipelines.traces.exporters[1]", 25),
                        tuple("service.shutdown_timeout", 26)));
  }

  @Test
  void errorMessagesNeverShowSecrets() {
    assertThatThrownBy(() -> load("bad_many_errors.yaml", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.getMessage()).doesNotContain("topsecret");
              assertThat(e.getMessage())
                  .contains(
                      "exporters.test_exporter/a.token_refresh: expected a duration such as 250ms,"
                          + " 5s, 1m30s or 1h, got '[REDACTED]' (line 10)");
              assertThat(e.getMessage())
                  .contains(
                      "exporters.test_exporter/a.headers.authorization: expected a string, got a"
                          + " list (line 12)");
            });
  }

  @Test
  void errorRendersAsPathMessageAndLine() {
    assertThatThrownBy(() -> load("bad_undefined_pipeline_component.yaml", Map.of()))
        .hasMessageContaining(
            "service.pipelines.traces.exporters[1]: exporter 'test_exporter/b' is not defined"
                + " in exporters (line 15)");
  }

  @Test
  void emptyDocumentNeedsAPipeline() {
    assertThatThrownBy(() -> loader.load("", "empty", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "service.pipelines", 0, "at least one pipeline is required")));
  }

  @Test
  void documentThatIsNotAMappingIsAnError() {
    assertThatThrownBy(() -> loader.load("- a\n- b\n", "list", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error ->
                            assertThat(error.message())
                                .startsWith("expected a mapping with the sections")));
  }

  @Test
  void missingConfigFileIsAConfigException(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.loadFile(dir.resolve("absent.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml' does not exist");
  }

  @Test
  void loadsOneComponentBlockForComponentTests() throws Exception {
    final TestComponents.TestFactory<TestExporterConfig> factory =
        new TestComponents.TestFactory<>(
            ComponentKind.EXPORTER,
            "test_exporter",
            TestExporterConfig.class,
            TestExporterConfig.defaults());

    assertThat(
            loader.loadComponent(
                factory, "endpoint: ${env:E}\ntimeout: 1s\n", Map.of("E", "http://e:1")))
        .isEqualTo(
            new TestExporterConfig(
                "http://e:1",
                Duration.ofSeconds(1),
                new Secret(""),
                Map.of("x-default", new Secret("d")),
                RetryConfig.defaults(),
                QueueConfig.defaults(),
                List.of("default-tag"),
                100,
                true,
                Duration.ofMinutes(5),
                ByteSize.parse("4MiB")));
    assertThatThrownBy(
            () -> loader.loadComponent(factory, "timeout: 1s\nbatch_size: x\n", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "exporters.test_exporter.batch_size",
                            2,
                            "expected an integer, got 'x'")));
    assertThatThrownBy(() -> loader.loadComponent(factory, "", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError("exporters.test_exporter.endpoint", 0, "required")));
  }

  @Test
  void reportsEmptyItemsAndOutOfRangeNumbersPrecisely() {
    final TestComponents.TestFactory<TestExporterConfig> factory =
        new TestComponents.TestFactory<>(
            ComponentKind.EXPORTER,
            "test_exporter",
            TestExporterConfig.class,
            TestExporterConfig.defaults());

    assertThatThrownBy(
            () ->
                loader.loadComponent(
                    factory,
                    "endpoint: x\ntags:\n  - a\n  -\nheaders:\n  x-a:\nbatch_size: 99999999999\n",
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "exporters.test_exporter.tags[1]", 4, "empty item (expected: a value)"),
                        new ConfigError(
                            "exporters.test_exporter.headers.x-a",
                            6,
                            "empty item (expected: a value)"),
                        new ConfigError(
                            "exporters.test_exporter.batch_size",
                            7,
                            "expected an integer from -2147483648 to 2147483647, got"
                                + " '99999999999'")));
  }

  @Test
  void defaultsHoldingASecretAreOverlaidWithTheRealValue() throws Exception {
    final TestExporterConfig withSecret = TestExporterConfig.defaults();
    final TestComponents.TestFactory<TestExporterConfig> factory =
        new TestComponents.TestFactory<>(
            ComponentKind.EXPORTER, "test_exporter", TestExporterConfig.class, withSecret);

    // The default header x-default holds Secret("d"); it must survive the overlay unredacted.
    assertThat(loader.loadComponent(factory, "endpoint: x\n", Map.of()).headers())
        .containsEntry("x-default", new Secret("d"));
  }

  private NormalizerConfig load(String file, Map<String, String> env) throws ConfigException {
    return loader.loadFile(testdata(file), env);
  }

  private Path testdata(String file) {
    try {
      return Path.of(getClass().getResource("testdata/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test data " + file, e);
    }
  }

  private static Arguments bad(String file, String path, int line, String fragment) {
    return Arguments.of(file, path, line, fragment);
  }
}
