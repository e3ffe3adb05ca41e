package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.Compressor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP/gRPC at and past its limits, with the default {@code max_recv_msg_size_mib} (16) and the
 * clients operators run: grpc-java's API (Armeria's client), the OTel SDK's exporter, and raw
 * HTTP/2 frames where what matters is below what a gRPC library shows.
 */
class OtlpGrpcLimitsTest {
  private static final int MIB = 1024 * 1024;
  private static final String TOO_LARGE =
      "request message is larger than max_recv_msg_size_mib (16 MiB, after decompression)";

  private static final byte[] BOMB = Compression.resourceSpansBomb();

  private static ReceiverHarness harness;
  private static WebClient h2c;

  @BeforeAll
  static void start() {
    harness = new ReceiverHarness(ReceiverHarness.sizes(16, 16L * MIB), new MemoryBudget(1L << 30));
    h2c =
        WebClient.builder("h2c://127.0.0.1:" + harness.port("grpc"))
            .responseTimeout(Duration.ofSeconds(60))
            .maxResponseLength(0)
            .build();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.consumer.reset();
  }

  @Test
  void aSeventeenMibMessageIsResourceExhaustedForAGrpcJavaClient() {
    final double failures = harness.requests("grpc", "failure");

    final StatusRuntimeException e =
        exportExpectingError(stub(null), OneSpanRequests.ofSize(17 * MIB));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).isEqualTo(TOO_LARGE);
    assertThat(StatusProto.fromThrowable(e).getDetailsList()).as("not retryable").isEmpty();
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
    awaitBudgetEmpty();
  }

  @Test
  void aSeventeenMibMessageIsResourceExhaustedForTheOtelSdkExporter() {
    final OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(harness.grpcUri())
            .setRetryPolicy(null)
            .setTimeout(60, TimeUnit.SECONDS)
            .build();
    try {
      final CompletableResultCode result =
          exporter.export(List.of(spanWithAttribute(17 * MIB))).join(60, TimeUnit.SECONDS);

      assertThat(result.isSuccess()).isFalse();
      assertThat(result.getFailureThrowable())
          .isInstanceOfSatisfying(
              FailedExportException.GrpcExportException.class,
              f -> {
                assertThat(f.failedWithResponse())
                    .as("a gRPC status, not a transport error")
                    .isTrue();
                assertThat(f.getResponse().getStatusCode())
                    .isEqualTo(GrpcStatusCode.RESOURCE_EXHAUSTED);
                assertThat(f.getResponse().getStatusDescription()).isEqualTo(TOO_LARGE);
              });
    } finally {
      exporter.close();
    }
  }

  /**
   * Answering while the client still sends means resetting the stream, and grpc-java (Netty) then
   * reports UNKNOWN instead of the status: the answer must wait for the whole call. 20 MiB is more
   * than the flow-control window past the limit, so the client cannot have sent it all by the time
   * the limit is reached.
   */
  @Test
  void anOverSizeCallIsAnsweredOnceTheClientHasSentItAndNeverReset() throws Exception {
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            OtlpGrpcTraceService.PATH,
            Map.of(),
            H2cCall.frame(false, new byte[20 * MIB]));

    assertThat(x.grpcStatus()).isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(x.resetCode()).as("RST_STREAM error code (-1: none)").isEqualTo(-1);
    assertThat(x.answeredBeforeRequestSent()).as("answered while the client was sending").isFalse();
    assertThat(x.endStreamHeaders()).isTrue();
  }

  /**
   * Past twice the limit (at least 32 MiB) the call is not read any further: answered, then reset.
   */
  @Test
  void aCallPastTheDiscardLimitIsAnsweredAndReset() throws Exception {
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            OtlpGrpcTraceService.PATH,
            Map.of(),
            H2cCall.frame(false, new byte[40 * MIB]));

    assertThat(x.grpcStatus()).isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(x.resetCode()).as("RST_STREAM error code").isNotEqualTo(-1);
  }

  @Test
  void aGzipBombIsResourceExhaustedForAGrpcJavaClient() {
    assertThat(BOMB.length).isLessThan(MIB);
    final double failures = harness.requests("grpc", "failure");

    final StatusRuntimeException e =
        exportExpectingError(
            stub(GrpcTestCompressors.sending(BOMB)),
            TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).isEqualTo(TOO_LARGE);
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
    awaitBudgetEmpty();
  }

  @Test
  void anUnsupportedGrpcEncodingIsUnimplementedWithAPlainMessage() {
    final double failures = harness.requests("grpc", "failure");

    final StatusRuntimeException e =
        exportExpectingError(
            stub(GrpcTestCompressors.named("snappy")),
            TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("unsupported grpc-encoding 'snappy' (expected: gzip, deflate or identity)");
    assertThat(
            e.getTrailers()
                .get(Metadata.Key.of("grpc-accept-encoding", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("gzip,deflate,identity");
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
  }

  @Test
  void anUnsupportedGrpcEncodingIsAnsweredOnceTheCallIsSent() throws Exception {
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            OtlpGrpcTraceService.PATH,
            Map.of("grpc-encoding", "snappy"),
            H2cCall.frame(true, new byte[4 * MIB]));

    assertThat(x.grpcStatus()).isEqualTo(String.valueOf(Status.Code.UNIMPLEMENTED.value()));
    assertThat(x.resetCode()).isEqualTo(-1);
    assertThat(x.answeredBeforeRequestSent()).isFalse();
  }

  /**
   * What the receiver holds while a message is read counts in {@code memory_limit} (and so in
   * {@code genai_normalizer_memory_used_bytes}) until the message is decoded.
   */
  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void theMemoryBudgetCountsAMessageWhileItIsRead(boolean gzip) throws Exception {
    final ExportTraceServiceRequest request = OneSpanRequests.ofRandomLetters(6 * MIB);
    final byte[] message = request.toByteArray();
    final byte[] frame = H2cCall.frame(gzip, gzip ? Compression.gzip(message) : message);
    final RequestHeadersBuilder headers = grpcHeaders();
    if (gzip) {
      headers.set("grpc-encoding", "gzip");
    }
    final HttpRequestWriter call = HttpRequest.streaming(headers.build());
    final CompletableFuture<AggregatedHttpResponse> response = h2c.execute(call).aggregate();
    final int half = frame.length / 2;
    call.write(HttpData.wrap(frame, 0, half));

    await(() -> harness.budget.usedBytes() >= MIB, "the first half of the message counted");
    final long whileRead = harness.budget.usedBytes();
    call.write(HttpData.wrap(frame, half, frame.length - half));
    call.close();

    assertThat(grpcStatus(response.join())).isEqualTo("0");
    assertThat(harness.consumer.batches()).hasSize(1);
    assertThat(harness.consumer.batches().get(0).request()).isEqualTo(request);
    assertThat(whileRead).as("held while read").isLessThanOrEqualTo(message.length + MIB);
    awaitBudgetEmpty();
  }

  /**
   * Over {@code memory_limit} a message the service could take later is refused with {@code
   * RetryInfo}; a message over the size limit is told so, whatever the budget.
   */
  @Test
  void overTheMemoryLimitAMessageIsRefusedWithRetryInfoAndABombIsStillTooLarge() throws Exception {
    final MemoryBudget budget = new MemoryBudget(4L * MIB);
    try (ReceiverHarness small =
        new ReceiverHarness(ReceiverHarness.sizes(16, 16L * MIB), budget)) {
      budget.acquire(4L * MIB); // what the queues hold
      final TraceServiceBlockingStub gzip =
          GrpcClients.builder(small.grpcUri())
              .responseTimeout(Duration.ofSeconds(60))
              .build(TraceServiceBlockingStub.class)
              .withCompression("gzip");
      final ExportTraceServiceRequest request = OneSpanRequests.ofRandomLetters(MIB);

      final StatusRuntimeException refused = exportExpectingError(gzip, request);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getStatus().getDescription())
          .isEqualTo(
              "data refused: reading this request would take the service over its memory limit of"
                  + " 4194304 bytes; retry later");
      assertThat(
              StatusProto.fromThrowable(refused)
                  .getDetails(0)
                  .unpack(RetryInfo.class)
                  .getRetryDelay()
                  .getSeconds())
          .isEqualTo(1);
      assertThat(small.requests("grpc", "refused")).isEqualTo(1);

      final StatusRuntimeException bomb =
          exportExpectingError(
              GrpcClients.builder(small.grpcUri())
                  .responseTimeout(Duration.ofSeconds(60))
                  .compressor(GrpcTestCompressors.sending(BOMB))
                  .build(TraceServiceBlockingStub.class),
              request);
      assertThat(bomb.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(budget.usedBytes()).isEqualTo(4L * MIB);

      budget.release(4L * MIB);
      gzip.export(request);
      assertThat(small.consumer.batches()).hasSize(1);
      await(() -> budget.usedBytes() == 0, "the budget back to empty");
    }
  }

  @Test
  void anUnknownMethodIsUnimplementedOnceTheCallIsSent() throws Exception {
    final double failures = harness.requests("grpc", "failure");
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
            Map.of(),
            H2cCall.frame(false, new byte[100]));

    assertThat(x.grpcStatus()).isEqualTo(String.valueOf(Status.Code.UNIMPLEMENTED.value()));
    assertThat(x.header("grpc-message"))
        .isEqualTo(
            "unknown method 'opentelemetry.proto.collector.metrics.v1.MetricsService/Export' (this"
                + " listener serves opentelemetry.proto.collector.trace.v1.TraceService/Export)");
    assertThat(x.resetCode()).isEqualTo(-1);
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
  }

  @Test
  void whatIsNotAGrpcCallGetsAnHttpError() {
    final AggregatedHttpResponse json =
        h2c.execute(
                RequestHeaders.builder(HttpMethod.POST, OtlpGrpcTraceService.PATH)
                    .contentType(MediaType.JSON)
                    .build(),
                HttpData.ofUtf8("{}"))
            .aggregate()
            .join();
    assertThat(json.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(json.contentUtf8()).contains("expected: application/grpc");

    final AggregatedHttpResponse get = h2c.get(OtlpGrpcTraceService.PATH).aggregate().join();
    assertThat(get.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
  }

  @Test
  void aSuccessfulAnswerNamesTheCodingsTheListenerTakes() throws Exception {
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            OtlpGrpcTraceService.PATH,
            Map.of(),
            H2cCall.frame(
                false, TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)).toByteArray()));
    assertThat(x.grpcStatus()).isEqualTo("0");
    assertThat(x.headers().get(0)).containsEntry("grpc-accept-encoding", "gzip,deflate,identity");
    assertThat(x.data()).startsWith(0, 0, 0, 0, 0);
  }

  @Test
  void theClientsGrpcTimeoutBoundsTheCall() {
    assertThat(OtlpGrpcTraceService.clientTimeout("10S")).contains(Duration.ofSeconds(10));
    assertThat(OtlpGrpcTraceService.clientTimeout("2H")).contains(Duration.ofHours(2));
    assertThat(OtlpGrpcTraceService.clientTimeout("99999999m"))
        .contains(Duration.ofMillis(99_999_999));
    assertThat(OtlpGrpcTraceService.clientTimeout("5u")).contains(Duration.ofNanos(5000));
    for (String bad :
        new String[] {null, "", "S", "0S", "10", "10s", "-1S", "123456789S", "1.5S"}) {
      assertThat(OtlpGrpcTraceService.clientTimeout(bad)).as(String.valueOf(bad)).isEmpty();
    }
  }

  private static TraceServiceBlockingStub stub(Compressor compressor) {
    final GrpcClientBuilder b =
        GrpcClients.builder(harness.grpcUri())
            .responseTimeout(Duration.ofSeconds(60))
            .maxRequestMessageLength(-1);
    if (compressor != null) {
      b.compressor(compressor);
    }
    return b.build(TraceServiceBlockingStub.class);
  }

  private static StatusRuntimeException exportExpectingError(
      TraceServiceBlockingStub stub, ExportTraceServiceRequest request) {
    final StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.export(request));
    assertThat(e).as("expected an error status").isNotNull();
    return e;
  }

  private static RequestHeadersBuilder grpcHeaders() {
    return RequestHeaders.builder(HttpMethod.POST, OtlpGrpcTraceService.PATH)
        .contentType(MediaType.parse("application/grpc"))
        .set("te", "trailers");
  }

  private static String grpcStatus(AggregatedHttpResponse res) {
    final String inTrailers = res.trailers().get("grpc-status");
    return inTrailers != null ? inTrailers : res.headers().get("grpc-status");
  }

  private static void awaitBudgetEmpty() {
    await(() -> harness.budget.usedBytes() == 0, "the memory budget back to empty");
  }

  private static void await(BooleanSupplier condition, String what) {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A span as the OTel SDK ends it, with one attribute of {@code size} characters. */
  private static SpanData spanWithAttribute(int size) {
    final List<SpanData> ended = new CopyOnWriteArrayList<>();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSpanLimits(
                SpanLimits.builder().setMaxAttributeValueLength(Integer.MAX_VALUE).build())
            .addSpanProcessor(
                new SpanProcessor() {
                  @Override
                  public void onStart(Context parentContext, ReadWriteSpan span) {}

                  @Override
                  public boolean isStartRequired() {
                    return false;
                  }

                  @Override
                  public void onEnd(ReadableSpan span) {
                    ended.add(span.toSpanData());
                  }

                  @Override
                  public boolean isEndRequired() {
                    return true;
                  }
                })
            .build()) {
      provider
          .get("test")
          .spanBuilder("chat")
          .setAttribute(AttributeKey.stringKey("gen_ai.output.messages"), "x".repeat(size))
          .startSpan()
          .end();
    }
    return ended.get(0);
  }
}
