package dev.genainormalizer.processor.kong;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KongProcessorTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String CHAT_TRACE = "45802f38266558e95adfd946609351d8";

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  // ---- the three Kong fixtures ----

  @Test
  void chatKeepsOnlyTheGenAiSpanAsTraceRootWithRequestContext() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final ExportTraceServiceRequest input = TestTraces.fixture("kong-3.13-chat.json");
    final ProcessResult result = processor.process(TraceBatch.of(input));

    assertThat(result.rejectedSpans()).isZero();
    assertThat(result.output().spanCount()).isEqualTo(1);
    final ExportTraceServiceRequest out = result.output().request();
    assertThat(out.getResourceSpansCount()).isEqualTo(1);
    assertThat(out.getResourceSpans(0).getResource())
        .isEqualTo(input.getResourceSpans(0).getResource());
    assertThat(out.getResourceSpans(0).getScopeSpans(0).getScope())
        .isEqualTo(input.getResourceSpans(0).getScopeSpans(0).getScope());
    final Span span = out.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    final Span original = spanNamed(input, "kong.gen_ai");
    assertThat(span.getName()).isEqualTo("kong.gen_ai");
    assertThat(hex(span.getTraceId())).isEqualTo(CHAT_TRACE);
    assertThat(hex(span.getSpanId())).isEqualTo("f82a3c6d767009dd");
    assertThat(span.getParentSpanId()).isEmpty();
    assertThat(span.getStatus()).isEqualTo(Status.getDefaultInstance());
    assertThat(span.getStartTimeUnixNano()).isEqualTo(original.getStartTimeUnixNano());
    assertThat(span.getEndTimeUnixNano()).isEqualTo(original.getEndTimeUnixNano());
    // The original attributes stay first and unchanged; the context is appended.
    assertThat(span.getAttributesList().subList(0, original.getAttributesCount()))
        .isEqualTo(original.getAttributesList());
    assertThat(
            span.getAttributesList()
                .subList(original.getAttributesCount(), span.getAttributesCount()))
        .extracting(KeyValue::getKey)
        .containsExactly(
            "http.response.status_code",
            "http.request.method",
            "kong.route",
            "kong.request.id",
            "server.address",
            "server.port");
    assertThat(attr(span, "http.response.status_code")).isEqualTo(intValue(200));
    assertThat(attr(span, "http.request.method")).isEqualTo(string("POST"));
    assertThat(attr(span, "kong.route")).isEqualTo(string("/openai"));
    assertThat(attr(span, "kong.request.id")).isEqualTo(string("9f3b2c71d04e4a5e8b6f1c2d3e4a5b6c"));
    assertThat(attr(span, "server.address")).isEqualTo(string("api.openai.com"));
    assertThat(attr(span, "server.port")).isEqualTo(intValue(443));
    assertThat(attr(span, "error.type")).isNull();

    assertThat(counter("infrastructure")).isEqualTo(8);
    assertThat(incomplete()).isZero();
    assertThat(processor.pendingSpans()).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isEqualTo(1); // ids remembered
  }

  @Test
  void traceparentMakesTheCallersSpanTheParent() {
    final ProcessResult result =
        processor(KongProcessorConfig.defaults())
            .process(TraceBatch.of(TestTraces.fixture("kong-3.13-traceparent.json")));
    final List<Span> spans = spans(result.output());
    assertThat(spans).extracting(Span::getName).containsExactly("kong.gen_ai");
    assertThat(hex(spans.get(0).getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(hex(spans.get(0).getParentSpanId())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void upstream500MarksTheGenAiSpanAsError() {
    final ProcessResult result =
        processor(KongProcessorConfig.defaults())
            .process(TraceBatch.of(TestTraces.fixture("kong-3.13-upstream-500.json")));
    final List<Span> spans = spans(result.output());
    assertThat(spans).hasSize(1);
    final Span span = spans.get(0);
    assertThat(hex(span.getTraceId())).isEqualTo("8048ea9c3655273257456796681bfed3");
    assertThat(span.getParentSpanId()).isEmpty();
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getStatus().getMessage())
        .isEqualTo("Kong answered HTTP 500; upstream api.openai.com failed with HTTP 500");
    assertThat(attr(span, "error.type")).isEqualTo(string("500"));
    assertThat(attr(span, "http.response.status_code")).isEqualTo(intValue(500));
    assertThat(attr(span, "server.address")).isEqualTo(string("api.openai.com"));
    assertThat(attr(span, "kong.request.id")).isEqualTo(string("c17e0b9a3f2d4e8c9a1b6d5e4f3a2b10"));
  }

  @Test
  void neverOverridesAnErrorStatusOrAttributesAlreadySet() {
    final ExportTraceServiceRequest input =
        mapSpans(
            TestTraces.fixture("kong-3.13-upstream-500.json"),
            s ->
                !s.getName().equals("kong.gen_ai")
                    ? s
                    : s.toBuilder()
                        .setStatus(
                            Status.newBuilder()
                                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                .setMessage("provider said no"))
                        .addAttributes(kv("error.type", string("server_error")))
                        .addAttributes(kv("server.address", string("llm.internal")))
                        .build());
    final Span span =
        spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input)).output())
            .get(0);
    assertThat(span.getStatus().getMessage()).isEqualTo("provider said no");
    assertThat(attr(span, "error.type")).isEqualTo(string("server_error"));
    assertThat(attr(span, "server.address")).isEqualTo(string("llm.internal"));
    assertThat(span.getAttributesList().stream().filter(a -> a.getKey().equals("server.address")))
        .hasSize(1);
    assertThat(attr(span, "http.response.status_code")).isEqualTo(intValue(500));
  }

  @Test
  void statusCodeEncodedAsDoubleOrStringCountsToo() {
    for (AnyValue code : List.of(doubleValue(502), string("502"))) {
      final ExportTraceServiceRequest input =
          mapSpans(
              TestTraces.fixture("kong-3.13-chat.json"),
              s -> !s.getName().equals("kong") ? s : replaceAttr(s, "http.status_code", code));
      final Span span =
          spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input)).output())
              .get(0);
      assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(attr(span, "error.type")).isEqualTo(string("502"));
      assertThat(attr(span, "http.response.status_code")).isEqualTo(intValue(502));
    }
  }

  // ---- variants ----

  @Test
  void genAiSpanNamedAfterSemconvIsRecognised() {
    final Span span = onlySpan("kong/chat-semconv-name.json");
    assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(span.getParentSpanId()).isEmpty();
    assertThat(attr(span, "server.address")).isEqualTo(string("api.openai.com"));
  }

  @Test
  void zeroPadded64BitTraceIdIsKeptAsIs() {
    final Span span = onlySpan("kong/chat-64bit-trace-id.json");
    assertThat(hex(span.getTraceId())).isEqualTo("00000000000000005adfd946609351d8");
    assertThat(hex(span.getParentSpanId())).isEqualTo("e457b5a2e4d86bd1");
  }

  @Test
  void eightByteTraceIdIsLeftPaddedLikeKongDoes() {
    final ExportTraceServiceRequest input =
        mapSpans(
            TestTraces.fixture("kong-3.13-chat.json"),
            s -> s.toBuilder().setTraceId(ByteString.fromHex("5adfd946609351d8")).build());
    final ProcessResult result =
        processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input));
    assertThat(result.rejectedSpans()).isZero();
    final List<Span> spans = spans(result.output());
    assertThat(spans).extracting(Span::getName).containsExactly("kong.gen_ai");
    assertThat(hex(spans.get(0).getTraceId())).isEqualTo("00000000000000005adfd946609351d8");
  }

  @Test
  void genAiSpanWithoutEndTimeIsKept() {
    final Span span = onlySpan("kong/chat-no-end-time.json");
    assertThat(span.getEndTimeUnixNano()).isZero();
    assertThat(span.getParentSpanId()).isEmpty();
  }

  @Test
  void twoKongRequestsInOneCallerTraceEachGetTheirOwnContext() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final List<Span> spans =
        spans(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/two-requests-one-trace.json")))
                .output());
    assertThat(spans).hasSize(2);
    for (Span span : spans) {
      assertThat(hex(span.getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(hex(span.getParentSpanId())).isEqualTo("b7ad6b7169203331");
    }
    assertThat(spans.get(0).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(attr(spans.get(0), "kong.request.id"))
        .isEqualTo(string("4e8a1d2c9b7f4c03a6d5e2f1b0c9d8e7"));
    assertThat(attr(spans.get(0), "http.response.status_code")).isEqualTo(intValue(200));
    assertThat(spans.get(1).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attr(spans.get(1), "kong.request.id"))
        .isEqualTo(string("c17e0b9a3f2d4e8c9a1b6d5e4f3a2b10"));
    assertThat(attr(spans.get(1), "error.type")).isEqualTo(string("500"));
    assertThat(counter("infrastructure")).isEqualTo(16);
  }

  @Test
  void twoInterleavedTracesInOneBatch() {
    final List<Span> spans =
        spans(
            processor(KongProcessorConfig.defaults())
                .process(TraceBatch.of(TestTraces.fixture("kong/two-traces-interleaved.json")))
                .output());
    assertThat(spans).hasSize(2);
    assertThat(spans).allSatisfy(s -> assertThat(s.getParentSpanId()).isEmpty());
    assertThat(hex(spans.get(0).getTraceId())).isEqualTo(CHAT_TRACE);
    assertThat(spans.get(0).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(hex(spans.get(1).getTraceId())).isEqualTo("8048ea9c3655273257456796681bfed3");
    assertThat(attr(spans.get(1), "error.type")).isEqualTo(string("500"));
  }

  @Test
  void failedTryFollowedByGoodRetryIsNotAnError() {
    final Span span = onlySpan("kong/chat-retried-try.json");
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(attr(span, "error.type")).isNull();
    assertThat(attr(span, "server.address")).isEqualTo(string("api.openai.com")); // the last try
  }

  @Test
  void dnsFailureWithoutUpstreamTryIsHeldThenEmittedAsError() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final ProcessResult result =
        processor.process(TraceBatch.of(TestTraces.fixture("kong/dns-failure.json")));
    // No kong.balancer span yet: it may still come in another batch.
    assertThat(result.output().spanCount()).isZero();
    assertThat(processor.pendingSpans()).isEqualTo(1);
    clock.add(Duration.ofSeconds(2));
    final List<Span> spans = spans(processor.flush(false));
    assertThat(spans).hasSize(1);
    final Span span = spans.get(0);
    assertThat(span.getParentSpanId()).isEmpty();
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getStatus().getMessage())
        .isEqualTo("Kong answered HTTP 503; upstream api.openai.com failed");
    assertThat(attr(span, "error.type")).isEqualTo(string("503"));
    assertThat(attr(span, "server.address")).isEqualTo(string("api.openai.com"));
    assertThat(incomplete()).isZero(); // its ancestry was complete
  }

  @Test
  void dnsErrorWithoutRootStatusGivesDnsErrorType() {
    final ExportTraceServiceRequest input =
        mapSpans(
            TestTraces.fixture("kong/dns-failure.json"),
            s -> !s.getName().equals("kong") ? s : removeAttr(s, "http.status_code"));
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    processor.process(TraceBatch.of(input));
    final Span span = spans(processor.flush(true)).get(0);
    assertThat(attr(span, "error.type")).isEqualTo(string("dns_error"));
    assertThat(span.getStatus().getMessage())
        .isEqualTo("DNS lookup of api.openai.com failed: dns server error: 3 name error");
    assertThat(attr(span, "http.response.status_code")).isNull();
  }

  @Test
  void failedBalancerWithoutCodeOrRootStatusGivesUpstreamErrorType() {
    final ExportTraceServiceRequest input =
        mapSpans(
            TestTraces.fixture("kong-3.13-upstream-500.json"),
            s ->
                s.getName().equals("kong")
                    ? removeAttr(s, "http.status_code")
                    : s.getName().equals("kong.balancer") ? removeAttr(s, "http.status_code") : s);
    final Span span =
        spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input)).output())
            .get(0);
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getStatus().getMessage()).isEqualTo("upstream api.openai.com failed");
    assertThat(attr(span, "error.type")).isEqualTo(string("upstream_error"));
    assertThat(attr(span, "http.response.status_code")).isNull();
  }

  @Test
  void customDropListKeepsEverythingElse() {
    final KongProcessor processor =
        processor(
            new KongProcessorConfig(
                List.of("regex:kong\\.(router|dns)", "kong.header_filter."),
                Duration.ofSeconds(2),
                10,
                1 << 20));
    final List<Span> spans =
        spans(processor.process(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"))).output());
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactly(
            "kong",
            "kong.access.plugin.ai-proxy",
            "kong.gen_ai",
            "kong.access.plugin.opentelemetry",
            "kong.balancer");
    // Nothing above the Gen AI span was dropped, so nothing changes for it.
    assertThat(spans.get(2))
        .isEqualTo(spanNamed(TestTraces.fixture("kong-3.13-chat.json"), "kong.gen_ai"));
    assertThat(counter("infrastructure")).isEqualTo(4);
  }

  // ---- split batches ----

  static List<List<String>> splitOrders() {
    final List<String> two = List.of("kong/chat-part1-of-2.json", "kong/chat-part2-of-2.json");
    final List<String> three =
        List.of(
            "kong/chat-part1-of-3.json", "kong/chat-part2-of-3.json", "kong/chat-part3-of-3.json");
    final List<List<String>> orders = new ArrayList<>();
    orders.addAll(permutations(two));
    orders.addAll(permutations(three));
    return orders;
  }

  @ParameterizedTest
  @MethodSource("splitOrders")
  void splitInAnyOrderGivesTheSameAsUnsplit(List<String> parts) {
    final Span expected = onlySpan("kong-3.13-chat.json");
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final List<ExportTraceServiceRequest> outputs = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      final ProcessResult result =
          processor.process(TraceBatch.of(TestTraces.fixture(parts.get(i))));
      assertThat(result.rejectedSpans()).isZero();
      if (result.output().spanCount() > 0) {
        outputs.add(result.output().request());
      }
      if (i < parts.size() - 1) {
        assertThat(outputs).as("nothing goes out before the last part").isEmpty();
      }
    }
    assertThat(outputs).hasSize(1);
    final ExportTraceServiceRequest out = outputs.get(0);
    assertThat(out.getResourceSpansCount()).isEqualTo(1);
    final ExportTraceServiceRequest original = TestTraces.fixture("kong-3.13-chat.json");
    assertThat(out.getResourceSpans(0).getResource())
        .isEqualTo(original.getResourceSpans(0).getResource());
    assertThat(out.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
    assertThat(out.getResourceSpans(0).getScopeSpans(0).getScope())
        .isEqualTo(original.getResourceSpans(0).getScopeSpans(0).getScope());
    assertThat(out.getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(expected);
    assertThat(processor.pendingSpans()).isZero();
    assertThat(incomplete()).isZero();
    assertThat(counter("infrastructure")).isEqualTo(8);
    assertThat(processor.flush(true).spanCount()).isZero();
  }

  @Test
  void genAiSpanAloneIsHeldAndEmittedAfterTheWaitAsIncomplete() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    assertThat(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/chat-genai-only.json")))
                .output()
                .spanCount())
        .isZero();
    assertThat(processor.pendingSpans()).isEqualTo(1);
    assertThat(gauge(KongProcessorTelemetry.PENDING_BYTES)).isPositive();

    clock.add(Duration.ofMillis(1999));
    assertThat(processor.flush(false).spanCount()).isZero();
    clock.add(Duration.ofMillis(1));
    final TraceBatch flushed = processor.flush(false);
    final List<Span> spans = spans(flushed);
    assertThat(spans).extracting(Span::getName).containsExactly("kong.gen_ai");
    assertThat(spans.get(0).getParentSpanId()).isEmpty(); // nothing better known
    assertThat(attr(spans.get(0), "server.address")).isNull();
    assertThat(flushed.request().getResourceSpans(0).getScopeSpans(0).getScope().getName())
        .isEqualTo("kong-internal");
    assertThat(incomplete()).isEqualTo(1);
    assertThat(processor.pendingSpans()).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_BYTES)).isZero();
  }

  @Test
  void missingAccessSpanIsBridgedThroughTheOnlyKongRootAfterTheWait() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    assertThat(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/chat-without-access-span.json")))
                .output()
                .spanCount())
        .isZero();
    clock.add(Duration.ofSeconds(3));
    final List<Span> spans = spans(processor.flush(false));
    assertThat(spans).containsExactly(onlySpan("kong-3.13-chat.json"));
    assertThat(incomplete()).isEqualTo(1);
  }

  @Test
  void missingAccessSpanUnderCallerUsesTheCallersSpan() {
    final ExportTraceServiceRequest input =
        filterSpans(
            TestTraces.fixture("kong-3.13-traceparent.json"),
            s -> !s.getName().equals("kong.access.plugin.ai-proxy"));
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    processor.process(TraceBatch.of(input));
    final List<Span> spans = spans(processor.flush(true));
    assertThat(spans).hasSize(1);
    assertThat(hex(spans.get(0).getParentSpanId())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void zeroWaitNeverHolds() {
    final KongProcessor processor =
        processor(new KongProcessorConfig(null, Duration.ZERO, 10, 1 << 20));
    final List<Span> spans =
        spans(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/chat-genai-only.json")))
                .output());
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getParentSpanId()).isEmpty();
    assertThat(incomplete()).isEqualTo(1);
    assertThat(processor.pendingSpans()).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isZero();
  }

  // ---- duplicates ----

  @Test
  void retriedBatchIsDroppedAsDuplicate() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
    assertThat(processor.process(chat).output().spanCount()).isEqualTo(1);
    clock.add(Duration.ofSeconds(1));
    assertThat(processor.flush(false).spanCount()).isZero();
    final ProcessResult again = processor.process(chat);
    assertThat(again.output().spanCount()).isZero();
    assertThat(again.rejectedSpans()).isZero();
    assertThat(counter("duplicate")).isEqualTo(9);
    assertThat(counter("infrastructure")).isEqualTo(8);
  }

  @Test
  void duplicateWhileHeldIsEmittedOnce() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final TraceBatch part1 = TraceBatch.of(TestTraces.fixture("kong/chat-part1-of-2.json"));
    assertThat(processor.process(part1).output().spanCount()).isZero();
    assertThat(processor.process(part1).output().spanCount()).isZero();
    final List<Span> spans =
        spans(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/chat-part2-of-2.json")))
                .output());
    assertThat(spans).containsExactly(onlySpan("kong-3.13-chat.json"));
    assertThat(counter("duplicate")).isEqualTo(4);
    assertThat(processor.flush(true).spanCount()).isZero();
  }

  @Test
  void duplicateWithinOneBatchIsDropped() {
    final ExportTraceServiceRequest chat = TestTraces.fixture("kong-3.13-chat.json");
    final ExportTraceServiceRequest twice =
        chat.toBuilder().addResourceSpans(chat.getResourceSpans(0)).build();
    final List<Span> spans =
        spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(twice)).output());
    assertThat(spans).hasSize(1);
    assertThat(counter("duplicate")).isEqualTo(9);
  }

  @Test
  void aForgottenBatchIsProcessedAgainWhenRetried() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
    final List<Span> first = spans(processor.process(chat).output());

    processor.forget(chat);

    assertThat(spans(processor.process(chat).output())).isEqualTo(first);
    assertThat(counter("duplicate")).isZero();
  }

  @Test
  void forgettingABatchLetsGoOfItsHeldSpansSoTheRetryIsEmittedOnce() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final TraceBatch part1 = TraceBatch.of(TestTraces.fixture("kong/chat-part1-of-2.json"));
    final ProcessResult held = processor.process(part1);
    assertThat(held.output().spanCount()).isZero();
    assertThat(held.heldSpans()).as("the Gen AI span").isEqualTo(1);
    assertThat(processor.pendingSpans()).isEqualTo(1);
    assertThat(processor.maxHold()).isEqualTo(Duration.ofSeconds(2));

    processor.forget(part1);
    assertThat(processor.pendingSpans()).isZero();
    assertThat(processor.process(part1).output().spanCount()).isZero();
    final List<Span> spans =
        spans(
            processor
                .process(TraceBatch.of(TestTraces.fixture("kong/chat-part2-of-2.json")))
                .output());

    assertThat(spans).containsExactly(onlySpan("kong-3.13-chat.json"));
    assertThat(counter("duplicate")).isZero();
    assertThat(processor.flush(true).spanCount()).isZero();
  }

  @Test
  void idsAreForgottenAfterTheWait() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final TraceBatch chat = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
    processor.process(chat);
    clock.add(Duration.ofSeconds(2));
    processor.flush(false);
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_BYTES)).isZero();
    assertThat(processor.process(chat).output().spanCount()).isEqualTo(1);
    assertThat(counter("duplicate")).isZero();
  }

  // ---- broken ids ----

  @Test
  void aGenAiSpanNamingItselfAsParentBecomesARoot() {
    final ExportTraceServiceRequest input =
        mapSpans(
            TestTraces.fixture("kong-3.13-chat.json"),
            s ->
                s.getName().equals("kong.gen_ai")
                    ? s.toBuilder().setParentSpanId(s.getSpanId()).build()
                    : s);

    final ProcessResult result =
        processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input));

    assertThat(result.rejectedSpans()).isZero();
    final List<Span> spans = spans(result.output());
    assertThat(spans).extracting(Span::getName).containsExactly("kong.gen_ai");
    assertThat(hex(spans.get(0).getSpanId())).isEqualTo("f82a3c6d767009dd");
    assertThat(spans.get(0).getParentSpanId()).isEmpty();
  }

  @Test
  void aSpanOutsideKongNamingItselfAsParentBecomesARoot() {
    final Span own =
        Span.newBuilder()
            .setTraceId(ByteString.fromHex(traceIdOf("07")))
            .setSpanId(ByteString.fromHex("0102030405060708"))
            .setParentSpanId(ByteString.fromHex("0102030405060708"))
            .setName("app.work")
            .build();
    final ExportTraceServiceRequest input =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(own)))
            .build();

    final List<Span> spans =
        spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input)).output());

    assertThat(spans).containsExactly(own.toBuilder().clearParentSpanId().build());
  }

  @Test
  void spansSharingOneIdKeepTheGenAiSpanAndReportTheOthersAsRejected() {
    final ExportTraceServiceRequest oneId = chatWithOneSpanId();
    final KongProcessor processor = processor(KongProcessorConfig.defaults());

    final ProcessResult result = processor.process(TraceBatch.of(oneId));

    final List<Span> spans = spans(result.output());
    assertThat(spans).extracting(Span::getName).containsExactly("kong.gen_ai");
    assertThat(spans.get(0).getParentSpanId()).isEmpty();
    // the root came first and took the id; the seven other Kong spans reuse it
    assertThat(result.rejectedSpans()).isEqualTo(7);
    assertThat(result.rejectionMessage())
        .startsWith(
            "7 invalid spans rejected, first: resourceSpans[0].scopeSpans[0].spans[1]: spanId"
                + " c62e682fdefd29c1 ('kong.router') is already used by another span of trace "
                + CHAT_TRACE);
    assertThat(counter("invalid")).isEqualTo(7);
    assertThat(counter("infrastructure")).isEqualTo(1);
    assertThat(counter("duplicate")).isZero();

    // the same request again is a retry: nothing new goes out, the Gen AI span included
    final ProcessResult retry = processor.process(TraceBatch.of(oneId));
    assertThat(retry.output().spanCount()).isZero();
    assertThat(counter("duplicate")).isEqualTo(2);
  }

  @Test
  void aForgottenGenAiSpanThatSharedAnIdGoesOutWhenRetried() {
    final TraceBatch oneId = TraceBatch.of(chatWithOneSpanId());
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    assertThat(processor.process(oneId).output().spanCount()).isEqualTo(1);

    processor.forget(oneId);

    assertThat(spans(processor.process(oneId).output()))
        .extracting(Span::getName)
        .containsExactly("kong.gen_ai");
  }

  // ---- bounds and shutdown ----

  @Test
  void pendingTracesAreBoundedOldestEmittedAsIncomplete() {
    final KongProcessor processor =
        processor(new KongProcessorConfig(null, Duration.ofSeconds(2), 2, 1 << 20));
    final List<Span> out = new ArrayList<>();
    for (String traceId : List.of("01", "02", "03")) {
      out.addAll(spans(processor.process(TraceBatch.of(genAiOnly(traceId))).output()));
    }
    assertThat(out).extracting(s -> hex(s.getTraceId())).containsExactly(traceIdOf("01"));
    assertThat(out.get(0).getParentSpanId()).isEmpty();
    assertThat(incomplete()).isEqualTo(1);
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isEqualTo(2);
    assertThat(processor.pendingSpans()).isEqualTo(2);
  }

  @Test
  void pendingBytesAreBounded() {
    final KongProcessor processor =
        processor(new KongProcessorConfig(null, Duration.ofSeconds(2), 100, 4000));
    final List<Span> out = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      out.addAll(spans(processor.process(TraceBatch.of(genAiOnly("0" + i))).output()));
      assertThat(gauge(KongProcessorTelemetry.PENDING_BYTES)).isLessThanOrEqualTo(4000);
    }
    assertThat(out).isNotEmpty();
    assertThat(out.size() + processor.pendingSpans()).isEqualTo(5);
    assertThat(incomplete()).isEqualTo(out.size());
  }

  @Test
  void flushAllEmptiesEverythingUnderTheOriginalGroups() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    processor.process(TraceBatch.of(TestTraces.fixture("kong/chat-part1-of-3.json")));
    processor.process(TraceBatch.of(TestTraces.fixture("kong/chat-part2-of-3.json")));
    processor.process(TraceBatch.of(genAiOnly("07")));
    processor.process(TraceBatch.of(TestTraces.fixture("kong-3.13-upstream-500.json")));
    assertThat(processor.pendingSpans()).isEqualTo(2);
    final TraceBatch flushed = processor.flush(true);
    assertThat(flushed.spanCount()).isEqualTo(2);
    assertThat(flushed.request().getResourceSpansCount()).isEqualTo(1);
    assertThat(flushed.request().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(s -> hex(s.getTraceId()))
        .containsExactly(CHAT_TRACE, traceIdOf("07"));
    // The chat span's root was known: parent and context come from it.
    final Span chat = flushed.request().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(attr(chat, "kong.request.id")).isEqualTo(string("9f3b2c71d04e4a5e8b6f1c2d3e4a5b6c"));
    assertThat(processor.pendingSpans()).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isZero();
    assertThat(gauge(KongProcessorTelemetry.PENDING_BYTES)).isZero();
    assertThat(processor.flush(true).spanCount()).isZero();
  }

  // ---- non-Kong traffic and invalid spans ----

  @Test
  void nonKongTracePassesUntouchedInTheSameCall() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final ExportTraceServiceRequest otel = TestTraces.fixture("kong/otel-sdk-trace.json");
    final ExportTraceServiceRequest mixed =
        TestTraces.fixture("kong-3.13-chat.json").toBuilder()
            .addAllResourceSpans(otel.getResourceSpansList())
            .build();
    final ProcessResult result = processor.process(TraceBatch.of(mixed));
    final ExportTraceServiceRequest out = result.output().request();
    assertThat(out.getResourceSpansCount()).isEqualTo(2);
    assertThat(out.getResourceSpans(0).getScopeSpans(0).getSpansList())
        .containsExactly(onlySpan("kong-3.13-chat.json"));
    assertThat(out.getResourceSpans(1)).isEqualTo(otel.getResourceSpans(0));
    assertThat(result.output().spanCount()).isEqualTo(3);
    assertThat(gauge(KongProcessorTelemetry.PENDING_TRACES)).isEqualTo(1); // only the Kong trace
  }

  @Test
  void nonKongBatchIsReturnedAsItIs() {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    processor.process(TraceBatch.of(TestTraces.fixture("kong/chat-part1-of-2.json"))); // some state
    final TraceBatch otel = TraceBatch.of(TestTraces.fixture("kong/otel-sdk-trace.json"));
    assertThat(processor.process(otel).output()).isSameAs(otel);
    assertThat(processor.process(otel).output()).isSameAs(otel); // no de-duplication outside Kong
  }

  @Test
  void invalidIdsAreRejectedAndCounted() {
    final ProcessResult result =
        processor(KongProcessorConfig.defaults())
            .process(TraceBatch.of(TestTraces.fixture("kong/invalid-ids.json")));
    assertThat(result.rejectedSpans()).isEqualTo(5);
    assertThat(result.rejectionMessage())
        .isEqualTo(
            "5 invalid spans rejected, first: resourceSpans[0].scopeSpans[0].spans[0]: "
                + "traceId has 2 bytes (expected: 16, or 8 for a 64-bit id)");
    assertThat(spans(result.output())).extracting(Span::getName).containsExactly("POST");
    assertThat(counter("invalid")).isEqualTo(5);
    assertThat(counter("infrastructure")).isZero();
  }

  @Test
  void upstreamServiceSpanUnderTheBalancerIsReparentedToTheCaller() {
    // Kong propagates the balancer span's id; an instrumented upstream's span hangs from it.
    final Span upstream =
        Span.newBuilder()
            .setTraceId(ByteString.fromHex("0af7651916cd43dd8448eb211c80319c"))
            .setSpanId(ByteString.fromHex("0123456789abcdef"))
            .setParentSpanId(ByteString.fromHex("711c022a78e93f17"))
            .setName("POST /v1/chat/completions")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .build();
    final ExportTraceServiceRequest input =
        TestTraces.fixture("kong-3.13-traceparent.json").toBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(upstream)))
            .build();
    final List<Span> spans =
        spans(processor(KongProcessorConfig.defaults()).process(TraceBatch.of(input)).output());
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactly("kong.gen_ai", "POST /v1/chat/completions");
    assertThat(hex(spans.get(1).getParentSpanId())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void concurrentProcessAndFlushLoseNothing() throws Exception {
    final KongProcessor processor = processor(KongProcessorConfig.defaults());
    final int threads = 4;
    final int perThread = 50;
    final List<Span> out = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Thread> workers = new ArrayList<>();
    final ExportTraceServiceRequest part1 = TestTraces.fixture("kong/chat-part1-of-2.json");
    final ExportTraceServiceRequest part2 = TestTraces.fixture("kong/chat-part2-of-2.json");
    for (int t = 0; t < threads; t++) {
      final int thread = t;
      final Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  final String id = String.format("%02x%06x", thread, i);
                  out.addAll(
                      spans(processor.process(TraceBatch.of(withTrace(part2, id))).output()));
                  out.addAll(spans(processor.flush(false)));
                  out.addAll(
                      spans(processor.process(TraceBatch.of(withTrace(part1, id))).output()));
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(20));
    }
    out.addAll(spans(processor.flush(true)));
    assertThat(out).hasSize(threads * perThread);
    assertThat(out).extracting(s -> hex(s.getTraceId())).doesNotHaveDuplicates();
    assertThat(incomplete()).isZero();
  }

  // ---- helpers ----

  private KongProcessor processor(KongProcessorConfig config) {
    assertThat(config.validate()).isEmpty();
    final TraceProcessor processor =
        new KongProcessorFactory()
            .create(
                config, new ProcessorSettings(ComponentId.of("kong"), "traces", registry, clock));
    return (KongProcessor) processor;
  }

  private Span onlySpan(String fixture) {
    final SimpleMeterRegistry own = new SimpleMeterRegistry();
    final TraceProcessor processor =
        new KongProcessorFactory()
            .create(
                KongProcessorConfig.defaults(),
                new ProcessorSettings(ComponentId.of("kong"), "other", own, new MockClock()));
    final List<Span> spans =
        spans(processor.process(TraceBatch.of(TestTraces.fixture(fixture))).output());
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private double counter(String reason) {
    return registry
        .get(KongProcessorTelemetry.DROPPED_SPANS)
        .tag("processor", "kong")
        .tag("pipeline", "traces")
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double incomplete() {
    return registry
        .get(KongProcessorTelemetry.INCOMPLETE_SPANS)
        .tag("processor", "kong")
        .tag("pipeline", "traces")
        .counter()
        .count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("processor", "kong").tag("pipeline", "traces").gauge().value();
  }

  private static String traceIdOf(String suffix) {
    return "4580" + "0".repeat(26) + suffix;
  }

  /** The chat fixture's Gen AI span alone, in its own trace. */
  private static ExportTraceServiceRequest genAiOnly(String traceSuffix) {
    return withTrace(TestTraces.fixture("kong/chat-genai-only.json"), traceSuffix);
  }

  /** The chat fixture with every span under the root's id: parents point at it too. */
  private static ExportTraceServiceRequest chatWithOneSpanId() {
    final ByteString rootId = ByteString.fromHex("c62e682fdefd29c1");
    return mapSpans(
        TestTraces.fixture("kong-3.13-chat.json"),
        s ->
            s.getParentSpanId().isEmpty()
                ? s.toBuilder().setSpanId(rootId).build()
                : s.toBuilder().setSpanId(rootId).setParentSpanId(rootId).build());
  }

  private static ExportTraceServiceRequest withTrace(
      ExportTraceServiceRequest request, String suffix) {
    final String traceId = "4580" + "0".repeat(28 - suffix.length()) + suffix;
    return mapSpans(request, s -> s.toBuilder().setTraceId(ByteString.fromHex(traceId)).build());
  }

  static List<Span> spans(TraceBatch batch) {
    final List<Span> spans = new ArrayList<>();
    for (ResourceSpans rs : batch.request().getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans.addAll(ss.getSpansList());
      }
    }
    assertThat(spans).hasSize(batch.spanCount());
    return spans;
  }

  private static Span spanNamed(ExportTraceServiceRequest request, String name) {
    return spans(TraceBatch.of(request)).stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static ExportTraceServiceRequest mapSpans(
      ExportTraceServiceRequest request, java.util.function.UnaryOperator<Span> f) {
    final ExportTraceServiceRequest.Builder b = request.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (int i = 0; i < ss.getSpansCount(); i++) {
          ss.setSpans(i, f.apply(ss.getSpans(i)));
        }
      }
    }
    return b.build();
  }

  private static ExportTraceServiceRequest filterSpans(
      ExportTraceServiceRequest request, java.util.function.Predicate<Span> keep) {
    final ExportTraceServiceRequest.Builder b = request.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        final List<Span> kept = ss.getSpansList().stream().filter(keep).toList();
        ss.clearSpans().addAllSpans(kept);
      }
    }
    return b.build();
  }

  private static Span replaceAttr(Span span, String key, AnyValue value) {
    final Span.Builder b = span.toBuilder();
    for (int i = 0; i < b.getAttributesCount(); i++) {
      if (b.getAttributes(i).getKey().equals(key)) {
        b.setAttributes(i, kv(key, value));
      }
    }
    return b.build();
  }

  private static Span removeAttr(Span span, String key) {
    final Span.Builder b = span.toBuilder().clearAttributes();
    span.getAttributesList().stream()
        .filter(a -> !a.getKey().equals(key))
        .forEach(b::addAttributes);
    return b.build();
  }

  private static AnyValue attr(Span span, String key) {
    AnyValue found = null;
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        assertThat(found).as("attribute " + key + " appears once").isNull();
        found = kv.getValue();
      }
    }
    return found;
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue intValue(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  private static AnyValue doubleValue(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static <T> List<List<T>> permutations(List<T> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    final List<List<T>> result = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      final List<T> rest = new ArrayList<>(items);
      final T head = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        final List<T> p = new ArrayList<>();
        p.add(head);
        p.addAll(tail);
        result.add(p);
      }
    }
    return result;
  }
}
