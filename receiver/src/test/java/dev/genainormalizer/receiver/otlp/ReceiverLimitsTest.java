package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.otlp.OtlpJson;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each limit of {@code limits:} refuses the whole request with a message naming it and where. */
class ReceiverLimitsTest {
  private static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");
  private static final ReceiverLimits LIMITS = new ReceiverLimits(10, 5, ByteSize.ofBytes(1000), 4);

  private static ReceiverHarness harness;
  private static WebClient http;
  private static TraceServiceBlockingStub grpc;

  @BeforeAll
  static void start() {
    harness = new ReceiverHarness(ReceiverHarness.loopback(LIMITS, null, null));
    http = WebClient.builder(harness.httpUri()).responseTimeout(Duration.ofSeconds(60)).build();
    grpc =
        GrpcClients.builder(harness.grpcUri())
            .responseTimeout(Duration.ofSeconds(60))
            .build(TraceServiceBlockingStub.class);
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
  void withinEveryLimitIsAccepted() {
    final ExportTraceServiceRequest ok =
        request(10, 5, "x".repeat(1000), nested(AnyValue.newBuilder().setIntValue(1).build(), 3));
    assertThat(postProtobuf(ok).status()).isEqualTo(HttpStatus.OK);
    assertThat(postJson(ok).status()).isEqualTo(HttpStatus.OK);
    grpc.export(ok);
    assertThat(harness.consumer.batches()).hasSize(3);
  }

  @Test
  void tooManySpans() {
    assertRefused(request(11, 1, "v", null), "request has 11 spans (max_spans_per_request: 10)");
  }

  @Test
  void tooManyAttributes() {
    assertRefused(
        request(1, 6, "v", null),
        "resourceSpans[0].scopeSpans[0].spans[0].attributes: 6 attributes"
            + " (max_attributes_per_span: 5)");
  }

  @Test
  void tooLongValue() {
    assertRefused(
        request(1, 1, "é".repeat(501), null),
        "resourceSpans[0].scopeSpans[0].spans[0].attributes[a0]: value of 1002 bytes"
            + " (max_attribute_value_bytes: 1000)");
  }

  @Test
  void tooDeepValue() {
    assertRefused(
        request(1, 1, "v", nested(AnyValue.newBuilder().setIntValue(1).build(), 4)),
        "attributes[deep][0][0][0]: value nested deeper than 4 levels (max_anyvalue_depth: 4)");
  }

  @Test
  void kvlistIsNestingToo() {
    AnyValue v = AnyValue.newBuilder().setStringValue("x").build();
    for (int i = 0; i < 4; i++) {
      v =
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addValues(KeyValue.newBuilder().setKey("k").setValue(v)))
              .build();
    }
    assertRefused(request(1, 1, "v", v), "(max_anyvalue_depth: 4)");
  }

  @Test
  void deeplyNestedProtobufFailsInTheDecoderWithoutOverflowingTheStack() {
    // 100 000 nested array values: far past protobuf's recursion limit (and past what protobuf-java
    // itself could serialize, hence the hand-written bytes)
    final byte[] body = DeepProtobuf.nestedArrays(100_000);
    final AggregatedHttpResponse res =
        http.prepare().post("/v1/traces").content(PROTOBUF, body).execute().aggregate().join();
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void deeplyNestedProtobufOverGrpcIsInvalidArgument() {
    final byte[] message = DeepProtobuf.nestedArrays(100_000);
    final java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + message.length);
    frame.put((byte) 0).putInt(message.length).put(message);
    final AggregatedHttpResponse res =
        WebClient.builder(harness.grpcUri().replace("http://", "h2c://"))
            .responseTimeout(Duration.ofSeconds(60))
            .build()
            .execute(
                com.linecorp.armeria.common.RequestHeaders.builder(
                        com.linecorp.armeria.common.HttpMethod.POST,
                        "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                    .contentType(MediaType.parse("application/grpc+proto"))
                    .set("te", "trailers")
                    .build(),
                com.linecorp.armeria.common.HttpData.wrap(frame.array()))
            .aggregate()
            .join();
    final String status =
        res.trailers().get("grpc-status") != null
            ? res.trailers().get("grpc-status")
            : res.headers().get("grpc-status");
    assertThat(status).isEqualTo(String.valueOf(io.grpc.Status.Code.INVALID_ARGUMENT.value()));
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void handEncodedDeepBodiesAreValidProtobuf() throws Exception {
    final ExportTraceServiceRequest parsed =
        ExportTraceServiceRequest.parseFrom(DeepProtobuf.nestedArrays(3));
    final AnyValue value =
        parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributes(0).getValue();
    assertThat(value).isEqualTo(nested(AnyValue.newBuilder().setIntValue(1).build(), 3));
  }

  @Test
  void deeplyNestedJsonIsRefusedBeforeParsing() {
    final String deep = "[".repeat(100_000) + "]".repeat(100_000);
    final byte[] body =
        ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\","
                + "\"value\":"
                + deep
                + "}]}]}]}]}")
            .getBytes(StandardCharsets.UTF_8);
    final AggregatedHttpResponse res =
        http.prepare()
            .post("/v1/traces")
            .content(MediaType.JSON, body)
            .execute()
            .aggregate()
            .join();
    assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(res.contentUtf8()).contains("JSON nested deeper than " + LIMITS.jsonNestingDepth());
  }

  private static void assertRefused(ExportTraceServiceRequest request, String message) {
    final double failures = harness.requests("http", "failure");
    for (AggregatedHttpResponse res : List.of(postProtobuf(request), postJson(request))) {
      assertThat(res.status()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(res.contentUtf8()).contains(message);
    }
    assertThat(harness.requests("http", "failure") - failures).isEqualTo(2);
    final StatusRuntimeException e =
        Assertions.catchThrowableOfType(() -> grpc.export(request), StatusRuntimeException.class);
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(message);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  private static AggregatedHttpResponse postProtobuf(ExportTraceServiceRequest request) {
    final AggregatedHttpResponse res =
        http.prepare()
            .post("/v1/traces")
            .content(PROTOBUF, request.toByteArray())
            .execute()
            .aggregate()
            .join();
    if (res.status() != HttpStatus.OK) {
      try {
        // make the google.rpc.Status message readable with contentUtf8()
        final Status status = Status.parseFrom(res.content().array());
        return AggregatedHttpResponse.of(res.status(), MediaType.PLAIN_TEXT, status.getMessage());
      } catch (Exception e) {
        return res;
      }
    }
    return res;
  }

  private static AggregatedHttpResponse postJson(ExportTraceServiceRequest request) {
    return http.prepare()
        .post("/v1/traces")
        .content(MediaType.JSON, OtlpJson.printTraces(request))
        .execute()
        .aggregate()
        .join();
  }

  static AnyValue nested(AnyValue leaf, int levels) {
    AnyValue v = leaf;
    for (int i = 0; i < levels; i++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    }
    return v;
  }

  private static ExportTraceServiceRequest request(
      int spans, int attributes, String value, AnyValue deep) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int s = 0; s < spans; s++) {
      final Span.Builder span =
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(
                      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) s}))
              .setName("s" + s);
      final List<KeyValue> attrs = new ArrayList<>();
      for (int a = 0; a < attributes; a++) {
        attrs.add(
            KeyValue.newBuilder()
                .setKey("a" + a)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build());
      }
      if (deep != null) {
        if (!attrs.isEmpty()) {
          attrs.remove(attrs.size() - 1);
        }
        attrs.add(KeyValue.newBuilder().setKey("deep").setValue(deep).build());
      }
      scope.addSpans(span.addAllAttributes(attrs));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }
}
