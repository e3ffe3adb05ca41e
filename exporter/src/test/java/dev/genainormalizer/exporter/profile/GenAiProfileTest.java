package dev.genainormalizer.exporter.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

/** The default profile sends a span as it came unless it has something to normalize. */
class GenAiProfileTest {
  private final VendorMapper keep = VendorProfiles.GENAI.mapper(ContentPolicy.KEEP);

  @Test
  void aRequestWithNothingToNormalizeIsSentAsItCame() {
    final ExportTraceServiceRequest kong = TestTraces.fixture("kong-3.13-chat.json");

    assertThat(keep.map(kong)).isSameAs(kong);
  }

  @Test
  void onlyTheSpansWithSomethingToNormalizeAreRebuilt() {
    final Span plain =
        span("plain").addAttributes(kv("gen_ai.request.model", str("gpt-4o"))).build();
    final Span structured =
        span("structured")
            .addAttributes(
                kv(
                    "gen_ai.input.messages",
                    AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(str("hi")))
                        .build()))
            .build();

    final ExportTraceServiceRequest out = keep.map(request(plain, structured));

    final ScopeSpans spans = out.getResourceSpans(0).getScopeSpans(0);
    assertThat(spans.getSpans(0)).isSameAs(plain);
    assertThat(spans.getSpans(1).getAttributes(0).getValue().getStringValue())
        .isEqualTo("[\"hi\"]");
  }

  @Test
  void aRepeatedKeyIsStillFoldedIntoOne() {
    final Span repeated =
        span("repeated")
            .addAttributes(kv("gen_ai.request.model", str("a")))
            .addAttributes(kv("gen_ai.request.model", str("b")))
            .build();

    final Span out = keep.map(request(repeated)).getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(out.getAttributesList()).containsExactly(kv("gen_ai.request.model", str("b")));
  }

  @Test
  void droppingContentStillRewritesSpansThatHoldIt() {
    final Span withPrompt =
        span("chat").addAttributes(kv("gen_ai.input.messages", str("[]"))).build();

    final Span out =
        VendorProfiles.GENAI
            .mapper(ContentPolicy.DROP)
            .map(request(withPrompt))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);

    assertThat(out.getAttributesList()).isEmpty();
  }

  private static Span.Builder span(String name) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) name.length()}))
        .setName(name);
  }

  private static ExportTraceServiceRequest request(Span... spans) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValues.ofString(s);
  }
}
