package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpGrpcReceiverTest {
  private static final int MIB = 1024 * 1024;
  private static final String EXPORT_PATH = "/" + TraceServiceGrpc.SERVICE_NAME + "/Export";

  private static ReceiverHarness harness;
  private static TraceServiceBlockingStub stub;
  private static WebClient h2c;

  @BeforeAll
  static void start() {
    // a 1 MiB message limit keeps the over-size cases cheap
    harness = new ReceiverHarness(1, 16L * MIB);
    stub =
        GrpcClients.builder(harness.grpcUri())
            .responseTimeout(Duration.ofSeconds(60))
            .maxRequestMessageLength(-1)
            .build(TraceServiceBlockingStub.class);
    h2c =
        WebClient.builder(
                "h2c://127.0.0.1:" + harness.receiver.boundAddresses().get("grpc").getPort())
            .responseTimeout(Duration.ofSeconds(60))
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

  static Stream<Arguments> fixturesAndCompression() {
    final List<Arguments> out = new ArrayList<>();
    for (String fixture : TestTraces.KONG_FIXTURES) {
      out.add(Arguments.of(fixture, false));
      out.add(Arguments.of(fixture, true));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, gzip={1}")
  @MethodSource("fixturesAndCompression")
  void everyFixtureArrivesIntact(String fixture, boolean gzip) {
    final ExportTraceServiceRequest expected = TestTraces.fixture(fixture);
    final double before = harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "grpc");

    final ExportTraceServiceResponse response =
        (gzip ? stub.withCompression("gzip") : stub).export(expected);

    assertThat(response.hasPartialSuccess()).isFalse();
    assertThat(harness.consumer.batches()).hasSize(1);
    assertThat(harness.consumer.batches().get(0).request()).isEqualTo(expected);
    assertThat(harness.counter(OtlpReceiverTelemetry.ACCEPTED_SPANS, "grpc") - before)
        .isEqualTo(harness.consumer.batches().get(0).spanCount());
  }

  /** A hand-framed gzip message, so the test does not depend on the client compressing. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void handFramedMessagesAreDecoded(boolean gzip) throws Exception {
    final ExportTraceServiceRequest expected = TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0));
    final AggregatedHttpResponse res = rawCall(expected.toByteArray(), gzip);
    assertThat(grpcStatus(res)).isEqualTo("0");
    assertThat(harness.consumer.batches()).hasSize(1);
    assertThat(harness.consumer.batches().get(0).request()).isEqualTo(expected);
    final byte[] body = res.content().array();
    assertThat(body[0]).as("response not compressed").isEqualTo((byte) 0);
    assertThat(ExportTraceServiceResponse.parseFrom(Arrays.copyOfRange(body, 5, body.length)))
        .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
  }

  @Test
  void partialSuccessIsPassedOn() {
    harness.consumer.answer(
        b -> ConsumeResult.partiallyAccepted(3, "3 spans were not Gen AI spans"));
    final ExportTraceServiceResponse response =
        stub.export(TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("3 spans were not Gen AI spans");
  }

  @Test
  void refusalIsUnavailableWithRetryInfo() throws Exception {
    harness.consumer.answer(
        b -> ConsumeResult.refused("over the memory budget", Duration.ofSeconds(4)));
    final double before = harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "grpc");
    final StatusRuntimeException e =
        exportExpectingError(TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("over the memory budget");
    final com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).isNotNull();
    assertThat(status.getDetailsList()).hasSize(1);
    assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(4);
    assertThat(harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "grpc") - before)
        .isEqualTo(harness.consumer.batches().get(0).spanCount());
  }

  @Test
  void overloadedItRefusesBeforeReadingTheMessageWithRetryInfo() throws Exception {
    harness.consumer.refuseBeforeReading(
        java.util.Optional.of(
            ConsumeResult.refused(
                "data refused: a queue is full; retry later", Duration.ofSeconds(3))));
    final double before = harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "grpc");

    final StatusRuntimeException e =
        exportExpectingError(TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("data refused: a queue is full; retry later");
    final com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).isNotNull();
    assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(3);
    assertThat(harness.consumer.batches()).as("never decoded nor handed on").isEmpty();
    assertThat(harness.counter(OtlpReceiverTelemetry.REFUSED_SPANS, "grpc")).isEqualTo(before);

    harness.consumer.refuseBeforeReading(java.util.Optional.empty());
    stub.export(TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));
    assertThat(harness.consumer.batches()).hasSize(1);
  }

  @Test
  void consumerExceptionIsUnavailableWithoutInternals() {
    harness.consumer.answer(
        b -> {
          throw new IllegalStateException("secret internal detail");
        });
    final StatusRuntimeException e =
        exportExpectingError(TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo(TraceIntake.INTERNAL_ERROR);
    assertThat(e.getTrailers().keys()).noneMatch(k -> k.contains("armeria"));
    final com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status == null ? List.of() : status.getDetailsList()).isEmpty();
  }

  @Test
  void emptyRequestIsOkAndTheConsumerIsNotCalled() {
    assertThat(stub.export(ExportTraceServiceRequest.getDefaultInstance()).hasPartialSuccess())
        .isFalse();
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void overSizeMessageIsResourceExhausted() {
    final double failures = harness.requests("grpc", "failure");
    final StatusRuntimeException e = exportExpectingError(OneSpanRequests.ofSize(2 * MIB));
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("max_recv_msg_size_mib");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void overSizeAfterDecompressionIsResourceExhausted() throws Exception {
    // a few KB on the wire that inflate past the 1 MiB limit
    final ExportTraceServiceRequest big = OneSpanRequests.ofSize(4 * MIB);
    final double failures = harness.requests("grpc", "failure");
    final AggregatedHttpResponse res = rawCall(big.toByteArray(), true);
    assertThat(grpcStatus(res)).isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
  }

  @Test
  void undecodableMessageIsInvalidArgument() {
    final double failures = harness.requests("grpc", "failure");
    final AggregatedHttpResponse res =
        rawCall("this is not protobuf".getBytes(StandardCharsets.UTF_8), false);
    assertThat(grpcStatus(res)).isEqualTo(String.valueOf(Status.Code.INVALID_ARGUMENT.value()));
    assertThat(header(res, "grpc-message"))
        .contains("invalid OTLP/protobuf ExportTraceServiceRequest");
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
  }

  @Test
  void truncatedMessageIsInvalidArgument() {
    final double failures = harness.requests("grpc", "failure");
    final byte[] full = TestTraces.fixture(TestTraces.KONG_FIXTURES.get(0)).toByteArray();
    final AggregatedHttpResponse res = rawCall(Arrays.copyOf(full, full.length - 10), false);
    assertThat(grpcStatus(res)).isEqualTo(String.valueOf(Status.Code.INVALID_ARGUMENT.value()));
    assertThat(harness.consumer.batches()).isEmpty();
    assertThat(harness.requests("grpc", "failure") - failures).isEqualTo(1);
  }

  private static StatusRuntimeException exportExpectingError(ExportTraceServiceRequest request) {
    final StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.export(request));
    assertThat(e).as("expected an error status").isNotNull();
    return e;
  }

  private static AggregatedHttpResponse rawCall(byte[] message, boolean gzip) {
    final byte[] payload = gzip ? Compression.gzip(message) : message;
    final ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
    frame.put((byte) (gzip ? 1 : 0)).putInt(payload.length).put(payload);
    final RequestHeadersBuilder headers =
        RequestHeaders.builder(HttpMethod.POST, EXPORT_PATH)
            .contentType(MediaType.parse("application/grpc+proto"))
            .set("te", "trailers");
    if (gzip) {
      headers.set("grpc-encoding", "gzip");
    }
    return h2c.execute(headers.build(), HttpData.wrap(frame.array())).aggregate().join();
  }

  private static String grpcStatus(AggregatedHttpResponse res) {
    return header(res, "grpc-status");
  }

  /** gRPC puts status in trailers, or in the headers of a trailers-only response. */
  private static String header(AggregatedHttpResponse res, String name) {
    final String inTrailers = res.trailers().get(name);
    return inTrailers != null ? inTrailers : res.headers().get(name);
  }
}
