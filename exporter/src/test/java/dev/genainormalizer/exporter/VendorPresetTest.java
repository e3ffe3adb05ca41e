package dev.genainormalizer.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.exporter.VendorTlsTest.Vendor;
import dev.genainormalizer.exporter.langfuse.LangfuseExporterFactory;
import dev.genainormalizer.exporter.mlflow.MlflowExporterFactory;
import dev.genainormalizer.exporter.preset.PresetExporterFactory;
import dev.genainormalizer.exporter.preset.VendorConfig;
import dev.genainormalizer.exporter.testing.Await;
import dev.genainormalizer.exporter.testing.VendorConfigs;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every preset shares: the HTTP client keys written flat in its block, and the user's headers.
 */
class VendorPresetTest {
  private static final String TEAM = "team-5ecret-3";

  /** Each request's path and its x-team header. */
  private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final ServerExtension sink =
      new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
          sb.serviceUnder(
              "/",
              (ctx, req) ->
                  HttpResponse.of(
                      req.aggregate()
                          .thenApply(
                              agg -> {
                                RECEIVED.add(ctx.path() + " x-team=" + req.headers().get("x-team"));
                                return HttpResponse.of(HttpStatus.OK);
                              })));
        }
      };

  static Stream<Vendor> vendors() {
    return VendorTlsTest.vendors();
  }

  @BeforeEach
  void clear() {
    RECEIVED.clear();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void everyVendorTakesTheSharedKeysFlatAndSendsTheUsersHeaders(Vendor v) throws Exception {
    final String yaml =
        "endpoint: "
            + sink.httpUri()
            + "\n"
            + v.requiredKeys()
            + "timeout: 7s\ncompression: none\nheaders:\n  x-team: ${env:TEAM}\n";
    final Record config = load(v.factory(), yaml);
    assertThat(((VendorConfig) config).http().timeout()).isEqualTo(Duration.ofSeconds(7));

    final TraceExporter exporter = create(v.factory(), config);
    assertThat(exporter.toString()).doesNotContain(TEAM);
    exporter.start();
    try {
      exporter.export(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json")));
      Await.until(v + " delivered", () -> !RECEIVED.isEmpty(), RECEIVED::toString);
      assertThat(RECEIVED).first().isEqualTo(v.path() + " x-team=" + TEAM);
    } finally {
      exporter.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyInstalledPresetIsInTheSharedVendorList() {
    final ComponentRegistry installed = ComponentRegistry.loadInstalled();

    assertThat(
            installed.types(ComponentKind.EXPORTER).stream()
                .filter(
                    type ->
                        installed.find(ComponentKind.EXPORTER, type).orElseThrow()
                            instanceof PresetExporterFactory<?>))
        .as("add the vendor to VendorTlsTest.vendors()")
        .hasSameElementsAs(vendors().map(Vendor::type).toList());
  }

  @Test
  void aHeaderThePresetSetsIsRefusedWhateverItsCase() {
    assertThat(
            errors(
                new LangfuseExporterFactory(),
                "endpoint: https://cloud.langfuse.com\n"
                    + "public_key: pk-lf-1\nsecret_key: sk-lf-1\nheaders:\n  Authorization: Bearer x\n"))
        .singleElement()
        .asString()
        .startsWith(
            "exporters.langfuse.headers.Authorization: set by the"
                + " exporter from its own keys, for Langfuse");
    assertThat(
            errors(
                new MlflowExporterFactory(),
                "endpoint: http://mlflow:5000\n"
                    + "experiment_id: \"1\"\nheaders:\n  x-mlflow-experiment-id: \"2\"\n"))
        .singleElement()
        .asString()
        .startsWith("exporters.mlflow.headers.x-mlflow-experiment-id: set by");
  }

  @Test
  void anUnknownKeyListsTheSharedKeysAsTheBlocksOwn() {
    assertThat(errors(new LangfuseExporterFactory(), "timout: 5s\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "exporters.langfuse.timout: unknown key (expected one of: compression, content,"
                + " endpoint, environment, headers, public_key, reroot_orphans, retry_on_failure,"
                + " secret_key, sending_queue, timeout, tls, trace_name) (line 1)");
  }

  @Test
  void aHeaderValueThatCannotBeSentIsRefusedWithoutShowingIt() {
    assertThat(
            errors(
                new MlflowExporterFactory(),
                "endpoint: http://mlflow:5000\n"
                    + "experiment_id: \"1\"\nheaders:\n  x-team: \"${env:TEAM}\\r\\nx: y\"\n"))
        .singleElement()
        .asString()
        .startsWith("exporters.mlflow.headers.x-team: contains a control character")
        .doesNotContain(TEAM);
  }

  private static <C extends Record> C load(ExporterFactory<C> f, String yaml)
      throws ConfigException {
    return new ConfigLoader(ComponentRegistry.of(List.of(f)))
        .loadComponent(f, yaml, Map.of("TEAM", TEAM));
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> TraceExporter create(ExporterFactory<C> f, Record config) {
    return f.create((C) config, VendorConfigs.settings(f.type() + "/preset"));
  }

  private static List<String> errors(ExporterFactory<?> f, String yaml) {
    try {
      load(f, yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError(f.type() + " loaded without errors:\n" + yaml);
  }
}
