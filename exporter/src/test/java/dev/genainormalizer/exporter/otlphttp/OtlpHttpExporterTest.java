package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.HttpBackend;
import dev.genainormalizer.exporter.testing.OptionsYaml;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import dev.genainormalizer.exporter.testing.Wire;
import dev.genainormalizer.exporter.testing.Yaml;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a real OTLP/HTTP backend, protobuf encoding. */
class OtlpHttpExporterTest extends AbstractExporterContractTest {
  static final TestCollector COLLECTOR = new TestCollector();

  @RegisterExtension
  static final ServerExtension server =
      HttpBackend.server(COLLECTOR, "/v1/traces", "/custom/traces");

  Encoding encoding() {
    return Encoding.PROTO;
  }

  @Override
  protected TestCollector collector() {
    return COLLECTOR;
  }

  @Override
  protected String componentType() {
    return OtlpHttpExporterFactory.TYPE;
  }

  @Override
  protected boolean supportsRemoteBackend() {
    return true;
  }

  @Override
  protected String endpoint() {
    return server.httpUri().toString();
  }

  @Override
  protected Wire wire() {
    return Wire.HTTP;
  }

  @Override
  protected TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return exporter(o, "endpoint: " + OptionsYaml.quoted(o.endpoint()), settings);
  }

  private TraceExporter exporter(
      ExporterOptions o, String endpointLine, ExporterSettings settings) {
    return Yaml.exporter(
        new OtlpHttpExporterFactory(),
        endpointLine
            + "\n"
            + "encoding: "
            + encoding().yamlName()
            + "\n"
            + OptionsYaml.headers(o.headers(), "")
            + OptionsYaml.common(o, ""),
        settings);
  }

  @Test
  void sendsTheContentTypeOfItsEncoding() {
    final TraceExporter exporter = started(options());

    exporter.export(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json")));

    final var headers = COLLECTOR.awaitReceived(1).get(0).headers();
    assertThat(headers.contentType())
        .isEqualTo(encoding() == Encoding.PROTO ? HttpBackend.PROTOBUF : MediaType.JSON);
    assertThat(headers.path()).isEqualTo("/v1/traces");
  }

  @Test
  void ignoresAMalformedRetryAfter() {
    COLLECTOR.enqueue(Answer.http(503).retryAfterHeader("soon, maybe"));
    final TraceExporter exporter = started(options());
    final TraceBatch batch = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

    exporter.export(batch);

    awaitCount(ExporterTelemetry.SENT_SPANS, batch.spanCount());
    assertThat(COLLECTOR.received()).hasSize(2);
  }

  @Test
  void partialSuccessIsASuccess() {
    COLLECTOR.enqueue(
        Answer.ok()
            .body(
                ExportTraceServiceResponse.newBuilder()
                    .setPartialSuccess(
                        ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(1)
                            .setErrorMessage("too old"))
                    .build()
                    .toByteArray()));
    final TraceExporter exporter = started(options());
    final TraceBatch batch = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

    exporter.export(batch);

    awaitCount(ExporterTelemetry.SENT_SPANS, batch.spanCount());
    assertThat(COLLECTOR.received()).hasSize(1);
    assertThat(count(ExporterTelemetry.RETRIES)).isZero();
  }

  @Test
  void tracesEndpointIsUsedAsIs() {
    final TraceExporter exporter =
        exporter(
            options(),
            "traces_endpoint: " + OptionsYaml.quoted(server.httpUri() + "/custom/traces"),
            settings);
    exporter.start();
    try {
      exporter.export(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json")));

      assertThat(COLLECTOR.awaitReceived(1).get(0).headers().path()).isEqualTo("/custom/traces");
    } finally {
      exporter.shutdown(Duration.ZERO);
    }
  }
}
