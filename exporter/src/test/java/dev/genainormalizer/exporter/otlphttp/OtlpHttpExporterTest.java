package dev.genainormalizer.exporter.otlphttp;

import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.AbstractExporterContractTest;
import dev.genainormalizer.exporter.ExporterSettings;
import dev.genainormalizer.exporter.TraceExporter;
import dev.genainormalizer.exporter.helper.ExporterTelemetry;
import dev.genainormalizer.exporter.testing.ExporterOptions;
import dev.genainormalizer.exporter.testing.TestCollector;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a real OTLP/HTTP backend, protobuf encoding. */
class OtlpHttpExporterTest extends AbstractExporterContractTest {
  static final TestCollector COLLECTOR = new TestCollector();
  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      sb.requestTimeout(Duration.ZERO);
      sb.service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(OtlpHttpExporterTest::serve)));
      sb.service("/custom/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(OtlpHttpExporterTest::serve)));
    }
  };

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
  protected String endpoint() {
    return server.httpUri().toString();
  }

  @Override
  protected String unreachableEndpoint() {
    return "http://127.0.0.1:1";
  }

  @Override
  protected TraceExporter create(ExporterOptions o, ExporterSettings settings) {
    return new OtlpHttpExporterFactory().create(config(o, o.endpoint(), ""), settings);
  }

  private OtlpHttpExporterConfig config(ExporterOptions o, String endpoint, String tracesEndpoint) {
    final OtlpHttpExporterConfig config = new OtlpHttpExporterConfig(
        new HttpClientSettings(endpoint, o.headers(), o.compression(), o.timeout(), null, o.retry(), o.queue()),
        tracesEndpoint, encoding(), null, null);
    assertThat(config.validate()).isEmpty();
    return config;
  }

  @Override
  protected String compressionHeader() {
    return "content-encoding";
  }

  @Override
  protected List<Named<Answer>> retryableAnswers() {
    return List.of(429, 502, 503, 504).stream()
        .map(s -> Named.of("HTTP " + s, Answer.http(s))).toList();
  }

  @Override
  protected List<Named<Answer>> permanentAnswers() {
    return List.of(400, 401, 403, 404, 500, 501).stream()
        .map(s -> Named.of("HTTP " + s, Answer.http(s))).toList();
  }

  @Override
  protected Answer throttled(Duration delay) {
    return Answer.http(429).retryAfter(delay);
  }

  @Test
  void sendsTheContentTypeOfItsEncoding() {
    final TraceExporter exporter = started(options());

    exporter.export(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json")));

    final var headers = COLLECTOR.awaitReceived(1).get(0).headers();
    assertThat(headers.contentType()).isEqualTo(encoding() == Encoding.PROTO ? PROTOBUF : MediaType.JSON);
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
    COLLECTOR.enqueue(Answer.ok().body(ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(1).setErrorMessage("too old"))
        .build().toByteArray()));
    final TraceExporter exporter = started(options());
    final TraceBatch batch = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));

    exporter.export(batch);

    awaitCount(ExporterTelemetry.SENT_SPANS, batch.spanCount());
    assertThat(COLLECTOR.received()).hasSize(1);
    assertThat(count(ExporterTelemetry.RETRIES)).isZero();
  }

  @Test
  void tracesEndpointIsUsedAsIs() {
    final TraceExporter exporter = new OtlpHttpExporterFactory()
        .create(config(options(), "", server.httpUri() + "/custom/traces"), settings);
    exporter.start();
    try {
      exporter.export(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json")));

      assertThat(COLLECTOR.awaitReceived(1).get(0).headers().path()).isEqualTo("/custom/traces");
    } finally {
      exporter.shutdown(Duration.ZERO);
    }
  }

  static HttpResponse serve(AggregatedHttpRequest req) {
    final Answer answer = COLLECTOR.arrived(req.headers(), decode(req));
    final boolean json = MediaType.JSON.is(req.contentType() == null ? MediaType.OCTET_STREAM : req.contentType())
        || (req.contentType() != null && req.contentType().isJson());
    final ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.valueOf(answer.httpStatus()));
    final byte[] body;
    if (answer.httpStatus() == 200) {
      final ExportTraceServiceResponse response;
      try {
        response = answer.body() == null ? ExportTraceServiceResponse.getDefaultInstance()
            : ExportTraceServiceResponse.parseFrom(answer.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      headers.contentType(json ? MediaType.JSON : PROTOBUF);
      body = json ? OtlpJson.print(response).getBytes(java.nio.charset.StandardCharsets.UTF_8) : response.toByteArray();
    } else {
      headers.contentType(MediaType.PLAIN_TEXT_UTF_8);
      body = answer.body() == null ? new byte[0] : answer.body();
    }
    if (answer.retryAfter() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(answer.retryAfter().toSeconds()));
    }
    if (answer.retryAfterHeader() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, answer.retryAfterHeader());
    }
    final ResponseHeaders h = headers.build();
    HttpResponse res = HttpResponse.of(h, com.linecorp.armeria.common.HttpData.wrap(body));
    if (!answer.delay().isZero()) {
      res = HttpResponse.delayed(res, answer.delay());
    }
    if (answer.hold() != null) {
      final HttpResponse held = res;
      res = HttpResponse.of(answer.hold().thenApply(v -> held));
    }
    return res;
  }

  private static ExportTraceServiceRequest decode(AggregatedHttpRequest req) {
    try {
      byte[] body = req.content().array();
      if ("gzip".equals(req.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      if (req.contentType() != null && req.contentType().isJson()) {
        return OtlpJson.parseTraces(body);
      }
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
