package dev.genainormalizer.exporter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSplitterTest {

  /** Two resources with two scopes each; span i carries {@code payload(i)} bytes of text. */
  private static ExportTraceServiceRequest request(int spansPerScope, int payloadBytes) {
    final ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    int n = 0;
    for (int r = 0; r < 2; r++) {
      final ResourceSpans.Builder rs =
          ResourceSpans.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc-" + r)))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
      for (int s = 0; s < 2; s++) {
        final ScopeSpans.Builder ss =
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("scope-" + r + "-" + s));
        for (int i = 0; i < spansPerScope; i++, n++) {
          ss.addSpans(
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(new byte[16]))
                  .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n + 1L).array()))
                  .setName("span-" + n)
                  .addAttributes(attr("payload", "x".repeat(payloadBytes + (n % 7) * 13))));
        }
        rs.addScopeSpans(ss);
      }
      b.addResourceSpans(rs);
    }
    return b.build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValues.ofString(value)).build();
  }

  /** Each span with the resource and scope it sits under, in request order. */
  private static List<String> placedSpans(List<ExportTraceServiceRequest> parts) {
    final List<String> out = new ArrayList<>();
    for (ExportTraceServiceRequest part : parts) {
      for (ResourceSpans rs : part.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            out.add(rs.getResource() + "|" + rs.getSchemaUrl() + "|" + ss.getScope() + "|" + span);
          }
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {2_000, 10_000, 50_000, 123_457})
  void everySpanOnceInOrderUnderItsResourceAndScopeAndEachPartWithinTheLimit(int limit) {
    final ExportTraceServiceRequest in = request(60, 500);
    final List<ExportTraceServiceRequest> parts = RequestSplitter.split(in, limit);
    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts).allSatisfy(p -> assertThat(p.getSerializedSize()).isLessThanOrEqualTo(limit));
    assertThat(placedSpans(parts)).containsExactlyElementsOf(placedSpans(List.of(in)));
    // Greedy and tight: the parts are not much more numerous than the bytes require.
    assertThat(parts.size()).isLessThanOrEqualTo(in.getSerializedSize() / (limit - 700) + 2);
    // No part has an empty group.
    for (ExportTraceServiceRequest p : parts) {
      assertThat(p.getResourceSpansList())
          .allSatisfy(
              rs ->
                  assertThat(rs.getScopeSpansList())
                      .allSatisfy(ss -> assertThat(ss.getSpansCount()).isPositive()));
    }
  }

  @Test
  void splitsAtDynatracesLimit() {
    final ExportTraceServiceRequest in = request(500, 9_000); // about 18 MB
    assertThat(in.getSerializedSize())
        .isGreaterThan(2 * VendorProfiles.DYNATRACE_MAX_REQUEST_BYTES);
    final List<ExportTraceServiceRequest> parts =
        RequestSplitter.split(in, VendorProfiles.DYNATRACE_MAX_REQUEST_BYTES);
    assertThat(parts).hasSize(3);
    assertThat(parts)
        .allSatisfy(p -> assertThat(p.getSerializedSize()).isLessThanOrEqualTo(8_000_000));
    final Map<String, Integer> seen = new HashMap<>();
    parts.forEach(p -> Goldens.spans(p).keySet().forEach(id -> seen.merge(id, 1, Integer::sum)));
    assertThat(seen).hasSize(2000).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void aRequestWithinTheLimitIsReturnedAsItIs() {
    final ExportTraceServiceRequest in = request(3, 10);
    assertThat(RequestSplitter.split(in, in.getSerializedSize())).containsExactly(in);
    assertThat(RequestSplitter.split(ExportTraceServiceRequest.getDefaultInstance(), 1))
        .containsExactly(ExportTraceServiceRequest.getDefaultInstance());
  }

  @Test
  void aSpanLargerThanTheLimitTravelsAlone() {
    final ExportTraceServiceRequest in = request(2, 5_000);
    final List<ExportTraceServiceRequest> parts = RequestSplitter.split(in, 1_000);
    assertThat(parts).hasSize(8);
    assertThat(parts).allSatisfy(p -> assertThat(Goldens.spans(p)).hasSize(1));
    assertThat(placedSpans(parts)).containsExactlyElementsOf(placedSpans(List.of(in)));
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThatThrownBy(() -> RequestSplitter.split(request(1, 1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes: 0 (expected: > 0)");
  }

  private static int spans(ExportTraceServiceRequest r) {
    int n = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  @Test
  void aSpanLimitCutsPartsOfExactlyThatManySpans() {
    final ExportTraceServiceRequest in = request(25, 10); // 100 spans
    final RequestSplitter.Limit limit = new RequestSplitter.Limit(30, 0);

    final List<ExportTraceServiceRequest> parts = RequestSplitter.split(in, limit, limit);

    assertThat(parts).extracting(RequestSplitterTest::spans).containsExactly(30, 30, 30, 10);
    assertThat(placedSpans(parts)).containsExactlyElementsOf(placedSpans(List.of(in)));
  }

  @Test
  void theFirstPartFillsTheRoomLeftAndTheOthersTheFullLimit() {
    final ExportTraceServiceRequest in = request(25, 10);

    final List<ExportTraceServiceRequest> parts =
        RequestSplitter.split(
            in, new RequestSplitter.Limit(7, 0), new RequestSplitter.Limit(40, 0));

    assertThat(parts).extracting(RequestSplitterTest::spans).containsExactly(7, 40, 40, 13);
    assertThat(placedSpans(parts)).containsExactlyElementsOf(placedSpans(List.of(in)));
  }

  @Test
  void theFirstPartIsEmptyWhenNoSpanFitsTheRoomLeft() {
    final ExportTraceServiceRequest in = request(1, 10);
    final int oneSpan = RequestSplitter.split(in, 1).get(0).getSerializedSize();

    final List<ExportTraceServiceRequest> parts =
        RequestSplitter.split(
            in, RequestSplitter.Limit.ofBytes(oneSpan / 2), RequestSplitter.Limit.ofBytes(100_000));

    assertThat(parts).hasSize(2);
    assertThat(spans(parts.get(0))).isZero();
    assertThat(parts.get(1)).isEqualTo(in);
  }

  @Test
  void bothLimitsHoldAtOnceAndWhatFitsIsReturnedAsItIs() {
    final ExportTraceServiceRequest in = request(25, 500);
    final RequestSplitter.Limit limit = new RequestSplitter.Limit(30, 8_000);

    final List<ExportTraceServiceRequest> parts = RequestSplitter.split(in, limit, limit);

    assertThat(parts)
        .allSatisfy(
            p -> {
              assertThat(spans(p)).isLessThanOrEqualTo(30);
              assertThat(p.getSerializedSize()).isLessThanOrEqualTo(8_000);
            });
    assertThat(placedSpans(parts)).containsExactlyElementsOf(placedSpans(List.of(in)));
    assertThat(RequestSplitter.split(in, RequestSplitter.Limit.NONE, limit))
        .singleElement()
        .isSameAs(in);
    assertThat(limit.and(new RequestSplitter.Limit(0, 4_000)))
        .isEqualTo(new RequestSplitter.Limit(30, 4_000));
  }
}
