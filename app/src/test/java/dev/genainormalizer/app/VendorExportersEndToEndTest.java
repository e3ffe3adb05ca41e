package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.Await;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Each vendor exporter in the running service, after {@code [kong, genai]}, pointed at a local OTLP
 * sink: the URL path, auth and required headers, content type, compression, resource and span
 * attributes it sends; secrets in no log line; and the configs that would lose data refused.
 */
class VendorExportersEndToEndTest {
  private static final Duration WAIT = Await.TIMEOUT;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP_ID = "0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a";
  private static final String FIDDLER_KEY = "fdl-secret-4f1c9a";
  private static final String LANGFUSE_SECRET = "sk-lf-secret-77ab";
  private static final String MLFLOW_PASSWORD = "mlflow-pass-93";
  private static final String O2_PASSWORD = "o2-pass-51";
  private static final String DT_TOKEN =
      "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
  private static final String PHOENIX_KEY = "phx-key-18";
  private static final List<String> SECRETS =
      List.of(FIDDLER_KEY, LANGFUSE_SECRET, MLFLOW_PASSWORD, O2_PASSWORD, DT_TOKEN, PHOENIX_KEY);

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private OtlpSink sink;
  private RunningService service;

  /** One vendor: its exporter block and what the sink must see. */
  record Case(
      String name,
      String block,
      String path,
      Map<String, String> headers,
      Map<String, String> resource,
      Consumer<Map<String, AnyValue>> span) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> vendors() {
    return Stream.of(
        new Case(
            "fiddler",
            String.join(
                "\n",
                "    endpoint: SINK",
                "    api_key: " + FIDDLER_KEY,
                "    application_id: " + APP_ID),
            "/v1/traces",
            Map.of("authorization", "Bearer " + FIDDLER_KEY, "fiddler-application-id", APP_ID),
            Map.of("application.id", APP_ID),
            attrs -> {
              assertThat(str(attrs, "fiddler.span.type")).isEqualTo("llm");
              assertThat(str(attrs, "gen_ai.agent.name")).isEqualTo("<UNKNOWN_AGENT>");
              assertThat(str(attrs, "gen_ai.llm.input.system"))
                  .isEqualTo("You are a concise assistant.");
              assertThat(str(attrs, "gen_ai.llm.input.user"))
                  .isEqualTo("What is the capital of Australia?");
              assertThat(str(attrs, "gen_ai.llm.output"))
                  .isEqualTo("The capital of Australia is Canberra.");
              assertThat(str(attrs, "gen_ai.system")).isEqualTo("openai");
            }),
        new Case(
            "langfuse",
            String.join(
                "\n",
                "    endpoint: SINK",
                "    public_key: pk-lf-1234",
                "    secret_key: " + LANGFUSE_SECRET,
                "    environment: staging"),
            "/api/public/otel/v1/traces",
            Map.of(
                "authorization",
                basic("pk-lf-1234", LANGFUSE_SECRET),
                "x-langfuse-ingestion-version",
                "4"),
            Map.of(),
            attrs -> {
              assertThat(str(attrs, "langfuse.observation.type")).isEqualTo("generation");
              assertThat(str(attrs, "langfuse.environment")).isEqualTo("staging");
              assertThat(str(attrs, "session.id")).isEqualTo(str(attrs, "gen_ai.conversation.id"));
              assertThat(attrs.keySet())
                  .noneMatch(
                      k -> k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"));
              assertThat(attrs).containsKey("gen_ai.input.messages");
            }),
        new Case(
            "mlflow",
            String.join(
                "\n",
                "    endpoint: SINK",
                "    experiment_id: \"7\"",
                "    username: alice",
                "    password: " + MLFLOW_PASSWORD),
            "/v1/traces",
            Map.of("x-mlflow-experiment-id", "7", "authorization", basic("alice", MLFLOW_PASSWORD)),
            Map.of(),
            attrs -> {
              assertThat(str(attrs, "mlflow.spanType")).isEqualTo("CHAT_MODEL");
              final com.fasterxml.jackson.databind.JsonNode usage =
                  jsonOf(attrs, "mlflow.chat.tokenUsage");
              assertThat(usage.get("input_tokens").asInt()).isEqualTo(25);
              assertThat(usage.get("output_tokens").asInt()).isEqualTo(8);
              assertThat(usage.get("total_tokens").asInt()).isEqualTo(33);
              assertThat(str(attrs, "session.id")).isEqualTo(str(attrs, "gen_ai.conversation.id"));
            }),
        new Case(
            "openobserve",
            String.join(
                "\n",
                "    endpoint: SINK",
                "    organization: acme",
                "    username: root@example.com",
                "    password: " + O2_PASSWORD,
                "    stream: genai"),
            "/api/acme/v1/traces",
            Map.of("authorization", basic("root@example.com", O2_PASSWORD), "stream-name", "genai"),
            Map.of(),
            attrs -> {
              assertThat(str(attrs, "gen_ai.operation.name")).isEqualTo("chat");
              assertThat(attrs.get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(25);
              assertThat(attrs.get("gen_ai.input.messages").hasStringValue()).isTrue();
              assertThat(attrs).doesNotContainKey("openinference.span.kind");
            }),
        new Case(
            "dynatrace",
            String.join("\n", "    endpoint: SINK", "    api_token: " + DT_TOKEN),
            "/api/v2/otlp/v1/traces",
            Map.of("authorization", "Api-Token " + DT_TOKEN),
            Map.of(),
            attrs -> {
              assertThat(str(attrs, "gen_ai.operation.name")).isEqualTo("chat");
              assertThat(str(attrs, "gen_ai.system")).isEqualTo("openai");
              assertThat(str(attrs, "llm.request.type")).isEqualTo("chat");
              assertThat(attrs.get("gen_ai.usage.prompt_tokens").getIntValue()).isEqualTo(25);
              assertThat(attrs.get("gen_ai.usage.completion_tokens").getIntValue()).isEqualTo(8);
              assertThat(str(attrs, "gen_ai.prompt.1.content"))
                  .isEqualTo("What is the capital of Australia?");
              assertThat(str(attrs, "gen_ai.completion.0.content"))
                  .isEqualTo("The capital of Australia is Canberra.");
            }),
        new Case(
            "phoenix",
            String.join(
                "\n", "    endpoint: SINK", "    project: kong", "    api_key: " + PHOENIX_KEY),
            "/v1/traces",
            Map.of("authorization", "Bearer " + PHOENIX_KEY),
            Map.of("openinference.project.name", "kong"),
            attrs -> {
              assertThat(str(attrs, "openinference.span.kind")).isEqualTo("LLM");
              assertThat(str(attrs, "llm.model_name")).isEqualTo("gpt-4o-mini-2024-07-18");
              assertThat(attrs.get("llm.token_count.prompt").getIntValue()).isEqualTo(25);
              assertThat(str(attrs, "llm.input_messages.1.message.content"))
                  .isEqualTo("What is the capital of Australia?");
              assertThat(str(attrs, "session.id")).isEqualTo(str(attrs, "gen_ai.conversation.id"));
            }));
  }

  @BeforeEach
  void start() {
    logs.start();
    root.addAppender(logs);
    sink = new OtlpSink();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    sink.close();
    root.detachAppender(logs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void sendsTheKongChatTraceTheWayTheVendorNeedsIt(Case c) throws Exception {
    service =
        new RunningService(
            config(c.name() + ":\n" + c.block().replace("SINK", sink.httpBase()), c.name()));
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.spanCount() >= 1, "a span at the sink");

    assertThat(sink.received()).hasSize(1);
    final OtlpSink.Received r = sink.received().get(0);
    assertThat(r.path()).isEqualTo(c.path());
    assertThat(r.headers().get("content-type")).isEqualTo("application/x-protobuf");
    assertThat(r.contentEncoding()).isEqualTo("gzip");
    c.headers()
        .forEach((name, value) -> assertThat(r.headers().get(name)).as(name).isEqualTo(value));

    assertThat(r.request().getResourceSpansCount()).isEqualTo(1);
    final Map<String, String> resource =
        r.request().getResourceSpans(0).getResource().getAttributesList().stream()
            .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    assertThat(resource).containsAllEntriesOf(c.resource());
    assertThat(resource).containsEntry("service.name", "kong-ai-gateway");

    final Span span = r.request().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getName()).isEqualTo("kong.gen_ai");
    assertThat(span.getParentSpanId().isEmpty()).as("a parentless root").isTrue();
    final Map<String, AnyValue> attrs = attributes(span);
    assertThat(str(attrs, "gen_ai.conversation.id"))
        .isEqualTo(HexFormat.of().formatHex(span.getTraceId().toByteArray()));
    assertThat(attrs.get("gen_ai.input.messages").hasStringValue())
        .as("messages as a JSON string")
        .isTrue();
    assertThat(
            jsonOf(attrs, "gen_ai.input.messages")
                .get(1)
                .get("parts")
                .get(0)
                .get("content")
                .asText())
        .isEqualTo("What is the capital of Australia?");
    c.span().accept(attrs);

    service.close();
    service = null;
    assertNoSecretLogged();
  }

  @Test
  void eachExporterGetsOnlyItsOwnMapping() {
    service =
        new RunningService(
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      http: { endpoint: 127.0.0.1:0 }",
                "processors:",
                "  kong: {}",
                "  genai: {}",
                "exporters:",
                "  fiddler:",
                "    endpoint: " + sink.httpBase(),
                "    api_key: " + FIDDLER_KEY,
                "    application_id: " + APP_ID,
                "  langfuse:",
                "    endpoint: " + sink.httpBase(),
                "    public_key: pk-lf-1234",
                "    secret_key: " + LANGFUSE_SECRET,
                "    content: drop",
                "  otlphttp:",
                "    endpoint: " + sink.httpBase() + "/plain",
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [kong, genai]",
                "      exporters: [fiddler, langfuse, otlphttp]",
                "  telemetry:",
                "    admin: { endpoint: 127.0.0.1:0 }",
                ""));
    send(TestTraces.fixture("kong-3.13-chat.json"));
    OtlpSink.await(WAIT, () -> sink.received().size() >= 3, "three exports at the sink");

    final Map<String, Map<String, AnyValue>> byPath =
        sink.received().stream()
            .collect(
                Collectors.toMap(
                    OtlpSink.Received::path,
                    r -> attributes(r.request().getResourceSpans(0).getScopeSpans(0).getSpans(0))));
    assertThat(byPath.keySet())
        .containsExactlyInAnyOrder("/v1/traces", "/api/public/otel/v1/traces", "/plain/v1/traces");
    assertThat(byPath.get("/v1/traces"))
        .containsKeys("fiddler.span.type", "gen_ai.llm.input.user", "gen_ai.input.messages");
    final Map<String, AnyValue> langfuse = byPath.get("/api/public/otel/v1/traces");
    assertThat(langfuse)
        .containsKey("langfuse.observation.type")
        .doesNotContainKeys(
            "fiddler.span.type",
            "gen_ai.llm.input.user",
            "gen_ai.input.messages",
            "gen_ai.output.messages");
    assertThat(langfuse.get("gen_ai.usage.input_tokens").getIntValue())
        .as("tokens are kept")
        .isEqualTo(25);
    assertThat(byPath.get("/plain/v1/traces"))
        .containsKey("gen_ai.input.messages")
        .doesNotContainKeys("fiddler.span.type", "langfuse.observation.type");
  }

  @Test
  void configsThatWouldLoseDataAreRefusedWithoutShowingSecrets() {
    assertRefused(
        "fiddler:\n    endpoint: https://acme.fiddler.ai\n    api_key: " + FIDDLER_KEY,
        "fiddler",
        "exporters.fiddler.application_id: required: Fiddler drops spans without an application id");
    assertRefused(
        "mlflow:\n    endpoint: http://mlflow:5000",
        "mlflow",
        "exporters.mlflow.experiment_id: required: MLflow rejects spans without the x-mlflow-experiment-id header");
    assertRefused(
        "langfuse:\n    endpoint: https://cloud.langfuse.com\n    secret_key: " + LANGFUSE_SECRET,
        "langfuse",
        "exporters.langfuse.public_key: required: Langfuse authenticates with Basic public_key:secret_key and"
            + " rejects a secret key alone (401)");
    assertRefused(
        "dynatrace:\n    endpoint: https://abc.live.dynatrace.com\n    api_token: Bearer "
            + DT_TOKEN,
        "dynatrace",
        "exporters.dynatrace.api_token: not an Api-Token-style value");
    assertRefused(
        "langfuse:\n    endpoint: https://cloud.langfuse.com/api/public/otel/v1/traces\n"
            + "    public_key: pk-lf-1\n    secret_key: "
            + LANGFUSE_SECRET,
        "langfuse",
        "exporters.langfuse.endpoint: already ends in /api/public/otel/v1/traces; we would call"
            + " https://cloud.langfuse.com/api/public/otel/v1/traces/api/public/otel/v1/traces");
    assertRefused(
        "openobserve:\n    endpoint: https://api.openobserve.ai\n    organization: acme\n"
            + "    username: root@example.com",
        "openobserve",
        "exporters.openobserve.password: required");
  }

  @Test
  void validateRefusesWhatWouldLoseDataAndAcceptsTheFixedConfig(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    final Map<String, String> env =
        Map.of("FIDDLER_API_KEY", FIDDLER_KEY, "LANGFUSE_SECRET_KEY", LANGFUSE_SECRET);
    final String exporters =
        String.join(
            "\n",
            "fiddler:",
            "    endpoint: https://acme.fiddler.ai/v1/traces",
            "    api_key: ${env:FIDDLER_API_KEY}",
            "  langfuse:",
            "    endpoint: https://cloud.langfuse.com",
            "    secret_key: ${env:LANGFUSE_SECRET_KEY}");
    final java.nio.file.Path bad = dir.resolve("bad.yaml");
    java.nio.file.Files.writeString(bad, config(exporters, "fiddler, langfuse"));
    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

    final int code =
        new Cli(
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                env)
            .execute(new String[] {"validate", "--config", bad.toString()});

    final String printed =
        out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(1);
    assertThat(printed)
        .contains(
            "exporters.fiddler.application_id: required: Fiddler drops spans without an application id",
            "exporters.fiddler.endpoint: already ends in /v1/traces; we would call https://acme.fiddler.ai/v1/traces/v1/traces",
            "exporters.langfuse.public_key: required");
    SECRETS.forEach(secret -> assertThat(printed).doesNotContain(secret));

    final java.nio.file.Path good = dir.resolve("good.yaml");
    java.nio.file.Files.writeString(
        good,
        config(
            exporters
                .replace(
                    "https://acme.fiddler.ai/v1/traces",
                    "https://acme.fiddler.ai\n    application_id: " + APP_ID)
                .replace("    secret_key:", "    public_key: pk-lf-1\n    secret_key:"),
            "fiddler, langfuse"));
    out.reset();
    assertThat(
            new Cli(
                    new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                    env)
                .execute(new String[] {"validate", "--config", good.toString()}))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("is valid");
  }

  @Test
  void warnsOnceWhenKongSendsNoPayloads() {
    service =
        new RunningService(
            config(
                "fiddler:\n    endpoint: "
                    + sink.httpBase()
                    + "\n    api_key: "
                    + FIDDLER_KEY
                    + "\n    application_id: "
                    + APP_ID,
                "fiddler"));
    send(withoutMessages(TestTraces.fixture("kong-3.13-chat.json")));
    send(withoutMessages(TestTraces.fixture("kong-3.13-traceparent.json")));
    // one Gen AI span each, maybe merged into one request
    OtlpSink.await(WAIT, () -> sink.spanCount() >= 2, "both requests' spans at the sink");

    assertThat(
            logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("log_payloads")))
        .singleElement()
        .asString()
        .contains("exporter fiddler", "Fiddler");
  }

  private void assertRefused(String block, String name, String expected) {
    assertThatThrownBy(
            () ->
                new ConfigLoader(ComponentRegistry.loadInstalled())
                    .load(config(block, name), "test config", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> SECRETS.forEach(s -> assertThat(e.getMessage()).doesNotContain(s)));
  }

  private void assertNoSecretLogged() {
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      final String line =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      SECRETS.forEach(s -> assertThat(line).doesNotContain(s));
    }
    assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage))
        .anySatisfy(m -> assertThat(m).contains("started", "[REDACTED]"));
  }

  private static String config(String exporterBlock, String exporterName) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http: { endpoint: 127.0.0.1:0 }",
        "processors:",
        "  kong: {}",
        "  genai: {}",
        "exporters:",
        "  " + exporterBlock,
        "    retry_on_failure: { initial_interval: 100ms, max_interval: 1s }",
        "service:",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [kong, genai]",
        "      exporters: [" + exporterName + "]",
        "  telemetry:",
        "    admin: { endpoint: 127.0.0.1:0 }",
        "");
  }

  private void send(ExportTraceServiceRequest request) {
    final int status =
        WebClient.of()
            .execute(
                RequestHeaders.builder(HttpMethod.POST, service.httpTracesUrl())
                    .contentType(MediaType.PROTOBUF)
                    .build(),
                HttpData.wrap(request.toByteArray()))
            .aggregate()
            .join()
            .status()
            .code();
    assertThat(status).isEqualTo(200);
  }

  /** The fixture as Kong sends it with {@code log_payloads} off: no message attributes. */
  private static ExportTraceServiceRequest withoutMessages(ExportTraceServiceRequest request) {
    final ExportTraceServiceRequest.Builder b = request.toBuilder();
    b.getResourceSpansBuilderList()
        .forEach(
            rs ->
                rs.getScopeSpansBuilderList()
                    .forEach(
                        ss ->
                            ss.getSpansBuilderList()
                                .forEach(
                                    span -> {
                                      final List<KeyValue> kept =
                                          span.getAttributesList().stream()
                                              .filter(
                                                  kv ->
                                                      !kv.getKey().endsWith(".messages")
                                                          && !kv.getKey()
                                                              .startsWith("gen_ai.prompt")
                                                          && !kv.getKey()
                                                              .startsWith("gen_ai.completion"))
                                              .toList();
                                      span.clearAttributes().addAllAttributes(kept);
                                    })));
    return b.build();
  }

  private static Map<String, AnyValue> attributes(Span span) {
    return span.getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static String str(Map<String, AnyValue> attrs, String key) {
    assertThat(attrs).as("attribute " + key).containsKey(key);
    return attrs.get(key).getStringValue();
  }

  private static com.fasterxml.jackson.databind.JsonNode jsonOf(
      Map<String, AnyValue> attrs, String key) {
    return readJson(str(attrs, key));
  }

  private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
