package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpHttpReceiverTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int MIB = 1024 * 1024;

  /** Small enough that over-limit bodies are cheap to build, big enough for a 5 MB attribute. */
  private static final long LIMIT = 8L * MIB;

  private static ReceiverHarness harness;
  private static WebClient client;

  @BeforeAll
  static void start() {
    harness = new ReceiverHarness(16, LIMIT);
    client =
        WebClient.builder(harness.httpUri())
            .responseTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .maxResponseLength(0)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.consumer.reset();
  }

  /** How a test body is encoded on the wire. */
  enum Coding {
    IDENTITY(null, UnaryOperator.identity()),
    GZIP("gzip", Compression::gzip),
    DEFLATE("deflate", Compression::zlib),
    RAW_DEFLATE("deflate", Compression::rawDeflate);

    final String header;
    final UnaryOperator<byte[]> encode;

    Coding(String header, UnaryOperator<byte[]> encode) {
      this.header = header;
      this.encode = encode;
    }
  }

  static Stream<Arguments> fixturesEncodingsCodings() {
    final List<Arguments> out = new ArrayList<>();
    for (String fixture : TestTraces.KONG_FIXTURES) {
      for (String contentType : List.of(PROTOBUF, JSON)) {
        for (Coding coding : Coding.values()) {
          out.add(Arguments.of(fixture, contentType, coding));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} as {1}, {2}")
  @MethodSource("fixturesEncodingsCodings")
  void everyFixtureArrivesIntactInEveryEncoding(String fixture, String contentType, Coding coding)
      throws Exception {
    final ExportTraceServiceRequest expected = TestTraces.fixture(fixture);
    final byte[] plain =
        contentType.equals(PROTOBUF) ? expected.toByteArray() : TestTraces.fixtureBytes(fixture);
    final double acceptedBefore = harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "http");

    final AggregatedHttpResponse res = post(coding.encode.apply(plain), contentType, coding.header);

    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentType().toString()).isEqualTo(contentType);
    final ExportTraceServiceResponse response = parseResponse(res, contentType);
    assertThat(response.hasPartialSuccess()).isFalse();
    assertThat(harness.consumer.batches()).hasSize(1);
    final TraceBatch got = harness.consumer.batches().get(0);
    assertThat(got.request()).isEqualTo(expected);
    assertThat(got.spanCount()).isEqualTo(TraceBatch.countSpans(expected)).isPositive();
    assertThat(harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "http") - acceptedBefore)
        .isEqualTo(got.spanCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=utf-8", "application/x-protobuf; proto=x"})
  void contentTypeParametersAreAllowed(String contentType) {
    final String fixture = TestTraces.KONG_FIXTURES.get(0);
    final byte[] body =
        contentType.startsWith(JSON)
            ? TestTraces.fixtureBytes(fixture)
            : TestTraces.fixture(fixture).toByteArray();
    final AggregatedHttpResponse res = post(body, contentType, null);
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(harness.consumer.batches()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {PROTOBUF, JSON})
  void partialSuccessIsPassedOnInTheRequestEncoding(String contentType) throws Exception {
    harness.consumer.answer(b -> ConsumeResult.partiallyAccepted(2, "2 spans had no trace id"));
    final double refusedBefore = harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http");
    final AggregatedHttpResponse res = post(body(contentType), contentType, null);

    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    final ExportTraceServiceResponse response = parseResponse(res, contentType);
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo("2 spans had no trace id");
    assertThat(harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http") - refusedBefore)
        .isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {PROTOBUF, JSON})
  void refusalIs503WithRetryAfterAndRetryInfo(String contentType) throws Exception {
    harness.consumer.answer(
        b -> ConsumeResult.refused("over the memory budget", Duration.ofMillis(2500)));
    final double refusedBefore = harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http");
    final double acceptedBefore = harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "http");

    final AggregatedHttpResponse res = post(body(contentType), contentType, null);

    assertThat(res.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(res.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("3");
    assertThat(res.contentType().toString()).isEqualTo(contentType);
    final Status status = parseStatus(res, contentType);
    assertThat(status.getMessage()).isEqualTo("over the memory budget");
    assertThat(status.getDetailsList()).hasSize(1);
    final RetryInfo retryInfo = status.getDetails(0).unpack(RetryInfo.class);
    assertThat(retryInfo.getRetryDelay().getSeconds()).isEqualTo(2);
    assertThat(retryInfo.getRetryDelay().getNanos()).isEqualTo(500_000_000);
    final int spans = harness.consumer.batches().get(0).spanCount();
    assertThat(harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http") - refusedBefore)
        .isEqualTo(spans);
    assertThat(harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "http"))
        .isEqualTo(acceptedBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h1c", "h2c"})
  void overloadedItRefusesBeforeReadingTheBodyAndTheConnectionServesTheNextRequest(
      String protocol) {
    final WebClient overProtocol =
        WebClient.builder(harness.httpUri().toString().replace("http:", protocol + ":"))
            .responseTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .build();
    harness.consumer.refuseBeforeReading(
        Optional.of(ConsumeResult.refused("a sending queue is full", Duration.ofSeconds(2))));
    final double requestsBefore = harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http");
    final byte[] big =
        OneSpanRequests.withAttribute("x".repeat(4 * MIB)).toByteArray(); // never read

    final AggregatedHttpResponse refused =
        overProtocol
            .execute(
                RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                    .contentType(com.linecorp.armeria.common.MediaType.PROTOBUF)
                    .build(),
                HttpData.wrap(big))
            .aggregate()
            .join();

    assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");
    assertThat(parseStatus(refused, PROTOBUF).getMessage()).isEqualTo("a sending queue is full");
    assertThat(harness.consumer.batches()).as("the pipelines never saw it").isEmpty();
    assertThat(harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "http"))
        .as("its spans are unknown")
        .isEqualTo(requestsBefore);

    harness.consumer.refuseBeforeReading(Optional.empty());
    final AggregatedHttpResponse accepted =
        overProtocol
            .execute(
                RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                    .contentType(com.linecorp.armeria.common.MediaType.PROTOBUF)
                    .build(),
                HttpData.wrap(body(PROTOBUF)))
            .aggregate()
            .join();
    assertThat(accepted.status()).isEqualTo(HttpStatus.OK);
    assertThat(harness.consumer.batches()).hasSize(1);
  }

  @Test
  void refusalWithoutADelayStillAsksForOneSecond() {
    harness.consumer.answer(b -> ConsumeResult.refused("", Duration.ZERO));
    final AggregatedHttpResponse res = post(body(PROTOBUF), PROTOBUF, null);
    assertThat(res.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(res.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
    assertThat(parseStatus(res, PROTOBUF).getMessage()).isEqualTo(TraceIntake.DEFAULT_REFUSAL);
  }

  @Test
  void consumerExceptionIsRetryable503WithoutInternals() {
    harness.consumer.answer(
        b -> {
          throw new IllegalStateException("secret internal detail");
        });
    final AggregatedHttpResponse res = post(body(JSON), JSON, null);
    assertThat(res.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(res.headers().contains(HttpHeaderNames.RETRY_AFTER)).isFalse();
    assertThat(res.contentUtf8()).doesNotContain("secret").doesNotContain("Exception");
    assertThat(parseStatus(res, JSON).getMessage()).isEqualTo(TraceIntake.INTERNAL_ERROR);
  }

  @Test
  void garbageIs400WithReadableMessage() {
    final AggregatedHttpResponse res =
        post("this is not protobuf".getBytes(StandardCharsets.UTF_8), PROTOBUF, null);
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(res.contentType().toString()).isEqualTo(PROTOBUF);
    assertThat(parseStatus(res, PROTOBUF).getMessage())
        .startsWith("invalid OTLP/protobuf ExportTraceServiceRequest: ");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void truncatedProtobufIs400() {
    final byte[] full = TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)).toByteArray();
    final AggregatedHttpResponse res = post(Arrays.copyOf(full, full.length - 10), PROTOBUF, null);
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(parseStatus(res, PROTOBUF).getMessage()).contains("truncated");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void truncatedGzipIs400NamingTheCoding() {
    final byte[] gz = Compression.gzip(body(PROTOBUF));
    final AggregatedHttpResponse res = post(Arrays.copyOf(gz, gz.length / 2), PROTOBUF, "gzip");
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(parseStatus(res, PROTOBUF).getMessage())
        .startsWith("cannot decode the gzip request body");
  }

  @Test
  void invalidJsonIs400WithReadableMessage() throws Exception {
    final AggregatedHttpResponse res =
        post("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), JSON, null);
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(res.contentType().toString()).isEqualTo(JSON);
    assertThat(parseStatus(res, JSON).getMessage())
        .startsWith("invalid OTLP/JSON ExportTraceServiceRequest: invalid JSON");
  }

  @Test
  void invalidHexIdIs400NamingTheField() throws Exception {
    final String json =
        new String(TestTraces.fixtureBytes(TestTraces.KONG_FIXTURES.get(0)), StandardCharsets.UTF_8)
            .replaceFirst("\"spanId\": *\"[0-9a-f]+\"", "\"spanId\": \"not-hex!\"");
    final AggregatedHttpResponse res = post(json.getBytes(StandardCharsets.UTF_8), JSON, null);
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(parseStatus(res, JSON).getMessage())
        .contains("resourceSpans[0].scopeSpans[0].spans[0].spanId")
        .contains("not-hex!");
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/xml", "application/grpc"})
  void wrongContentTypeIs415(String contentType) {
    final AggregatedHttpResponse res = post(body(PROTOBUF), contentType, null);
    assertThat(res.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(parseStatus(res, PROTOBUF).getMessage())
        .contains(contentType)
        .contains("expected: application/x-protobuf or application/json");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void missingContentTypeIs415() {
    final AggregatedHttpResponse res = post(body(PROTOBUF), null, null);
    assertThat(res.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void unsupportedContentEncodingIs415() throws Exception {
    final AggregatedHttpResponse res = post(body(JSON), JSON, "br");
    assertThat(res.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(parseStatus(res, JSON).getMessage()).contains("Content-Encoding 'br'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
  void otherMethodsAre405WithAllowPost(String method) {
    final RequestHeaders headers =
        RequestHeaders.builder(HttpMethod.valueOf(method), "/v1/traces").build();
    final AggregatedHttpResponse res = client.execute(headers).aggregate().join();
    assertThat(res.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    assertThat(res.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
    assertThat(parseStatus(res, PROTOBUF).getMessage()).contains("expected: POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/metrics", "/", "/v1/traces/extra", "/v1/trace"})
  void otherPathsAre404(String path) {
    final AggregatedHttpResponse res =
        client
            .execute(
                RequestHeaders.builder(HttpMethod.POST, path)
                    .contentType(com.linecorp.armeria.common.MediaType.JSON)
                    .build(),
                HttpData.ofUtf8("{}"))
            .aggregate()
            .join();
    assertThat(res.status()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(parseStatus(res, JSON).getMessage()).contains("POST /v1/traces");
  }

  @ParameterizedTest
  @ValueSource(strings = {PROTOBUF, JSON})
  void emptyBodyIsAnEmptyRequest200AndTheConsumerIsNotCalled(String contentType) throws Exception {
    final AggregatedHttpResponse res = post(new byte[0], contentType, null);
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(parseResponse(res, contentType).hasPartialSuccess()).isFalse();
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{}", "{\"resourceSpans\": []}", "{\"resourceSpans\": [{\"scopeSpans\": [{}]}]}"})
  void jsonWithoutSpansIs200AndTheConsumerIsNotCalled(String json) {
    final AggregatedHttpResponse res = post(json.getBytes(StandardCharsets.UTF_8), JSON, null);
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void gzipBombIs413() {
    // 64 MiB of zeros in about 64 KB, eight times the limit
    final byte[] bomb = Compression.gzipBomb(64L * MIB);
    assertThat(bomb.length).isLessThan(128 * 1024);
    final double failures = harness.requests("http", "failure");
    final AggregatedHttpResponse res = post(bomb, PROTOBUF, "gzip");
    assertThat(harness.requests("http", "failure") - failures).isEqualTo(1);
    assertThat(res.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(parseStatus(res, PROTOBUF).getMessage()).contains("max_request_body_size");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void deflateBombIs413() {
    final AggregatedHttpResponse res = post(Compression.zlibBomb(64L * MIB), JSON, "deflate");
    assertThat(res.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void uncompressedBodyOverTheLimitIs413() {
    final byte[] body = OneSpanRequests.withAttribute("x".repeat((int) LIMIT)).toByteArray();
    assertThat(body.length).isGreaterThan((int) LIMIT);
    final double failures = harness.requests("http", "failure");
    final AggregatedHttpResponse res = post(body, PROTOBUF, null);
    assertThat(harness.requests("http", "failure") - failures).isEqualTo(1);
    assertThat(res.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(parseStatus(res, PROTOBUF).getMessage()).contains("max_request_body_size");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void streamedBodyWithoutContentLengthOverTheLimitIs413AndCountedOnce() {
    final double failures = harness.requests("http", "failure");
    final com.linecorp.armeria.common.HttpRequestWriter req =
        HttpRequest.streaming(
            RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                .contentType(com.linecorp.armeria.common.MediaType.JSON)
                .build());
    final java.util.concurrent.CompletableFuture<AggregatedHttpResponse> res =
        client.execute(req).aggregate();
    final byte[] chunk = new byte[(int) (LIMIT / 4)];
    Arrays.fill(chunk, (byte) ' ');
    for (int i = 0; i < 5; i++) {
      if (!req.tryWrite(HttpData.copyOf(chunk))) {
        break; // the server already refused the stream
      }
    }
    req.close();
    assertThat(res.join().status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(harness.requests("http", "failure") - failures).isEqualTo(1);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  /** Kong's client: HTTP/1.1, protobuf, no compression, a Content-Length. */
  @Test
  void kongStyleHttp1RequestsWork() throws Exception {
    final WebClient h1 =
        WebClient.builder(
                "h1c://127.0.0.1:" + harness.receiver.boundAddresses().get("http").getPort())
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    final ExportTraceServiceRequest expected = TestTraces.fixture(TestTraces.KONG_FIXTURES.get(1));
    final AggregatedHttpResponse ok =
        h1.prepare()
            .post("/v1/traces")
            .header(HttpHeaderNames.USER_AGENT, "lua-resty-http/0.17.2 (Lua) ngx_lua/10026")
            .content(
                com.linecorp.armeria.common.MediaType.create("application", "x-protobuf"),
                expected.toByteArray())
            .execute()
            .aggregate()
            .join();
    assertThat(ok.status()).isEqualTo(HttpStatus.OK);
    assertThat(ok.content().isEmpty()).isTrue();
    assertThat(harness.consumer.batches().get(0).request()).isEqualTo(expected);

    final byte[] tooLarge = OneSpanRequests.withAttribute("x".repeat((int) LIMIT)).toByteArray();
    final AggregatedHttpResponse refused =
        h1.prepare()
            .post("/v1/traces")
            .content(
                com.linecorp.armeria.common.MediaType.create("application", "x-protobuf"), tooLarge)
            .execute()
            .aggregate()
            .join();
    assertThat(refused.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
  }

  @Test
  void fiveMegabyteAttributeUnderTheLimitArrivesIntact() {
    final StringBuilder value = new StringBuilder(5_000_000);
    for (int i = 0; value.length() < 5_000_000; i++) {
      value.append("message part ").append(i).append(' ');
    }
    final ExportTraceServiceRequest request = OneSpanRequests.withAttribute(value.toString());
    for (Coding coding : List.of(Coding.IDENTITY, Coding.GZIP)) {
      harness.consumer.reset();
      final AggregatedHttpResponse res =
          post(coding.encode.apply(request.toByteArray()), PROTOBUF, coding.header);
      assertThat(res.status()).as(coding.name()).isEqualTo(HttpStatus.OK);
      assertThat(harness.consumer.batches()).hasSize(1);
      assertThat(harness.consumer.batches().get(0).request()).isEqualTo(request);
    }
  }

  @Test
  void countsRequestsByOutcome() {
    final double success = harness.requests("http", "success");
    final double failure = harness.requests("http", "failure");
    final double refused = harness.requests("http", "refused");
    post(body(PROTOBUF), PROTOBUF, null);
    post("garbage".getBytes(StandardCharsets.UTF_8), PROTOBUF, null);
    harness.consumer.answer(b -> ConsumeResult.refused("full", Duration.ofSeconds(1)));
    post(body(PROTOBUF), PROTOBUF, null);
    assertThat(harness.requests("http", "success") - success).isEqualTo(1);
    assertThat(harness.requests("http", "failure") - failure).isEqualTo(1);
    assertThat(harness.requests("http", "refused") - refused).isEqualTo(1);
  }

  private static byte[] body(String contentType) {
    final String fixture = TestTraces.KONG_FIXTURES.get(0);
    return contentType.startsWith(JSON)
        ? TestTraces.fixtureBytes(fixture)
        : TestTraces.fixture(fixture).toByteArray();
  }

  private static AggregatedHttpResponse post(byte[] body, String contentType, String encoding) {
    final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces");
    if (contentType != null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (encoding != null) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
    }
    return client.execute(HttpRequest.of(headers.build(), HttpData.wrap(body))).aggregate().join();
  }

  private static ExportTraceServiceResponse parseResponse(
      AggregatedHttpResponse res, String contentType) throws Exception {
    if (contentType.startsWith(JSON)) {
      final ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      JsonFormat.parser().merge(res.contentUtf8(), b);
      return b.build();
    }
    return ExportTraceServiceResponse.parseFrom(res.content().array());
  }

  static Status parseStatus(AggregatedHttpResponse res, String contentType) {
    try {
      if (contentType.startsWith(JSON)) {
        assertThat(res.contentType().toString()).isEqualTo(JSON);
        final Status.Builder b = Status.newBuilder();
        JsonFormat.parser()
            .usingTypeRegistry(
                JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build())
            .merge(res.contentUtf8(), b);
        return b.build();
      }
      assertThat(res.contentType().toString()).isEqualTo(PROTOBUF);
      return Status.parseFrom(res.content().array());
    } catch (Exception e) {
      throw new AssertionError("not a google.rpc.Status: " + res.contentUtf8(), e);
    }
  }
}
