package dev.genainormalizer.processor.genai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.otlp.AnyValues;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ConversationId;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ConversationIdDefault;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.Cost;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.ModelPrice;
import dev.genainormalizer.processor.genai.GenAiProcessorConfig.UserId;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenAiProcessorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  // ---- the three Kong fixtures

  @Test
  void chatFixtureIsNormalizedAttributeByAttribute() {
    final ExportTraceServiceRequest in = TestTraces.fixture("kong-3.13-chat.json");
    final ExportTraceServiceRequest out = process(in, GenAiProcessorConfig.defaults());
    final Map<String, AnyValue> a = attributes(genAiSpan(out));

    assertThat(a.keySet())
        .containsExactly(
            "gen_ai.operation.name",
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.request.max_tokens",
            "gen_ai.request.temperature",
            "gen_ai.input.messages",
            "gen_ai.output.type",
            "gen_ai.output.messages",
            "gen_ai.response.id",
            "gen_ai.response.model",
            "gen_ai.response.finish_reasons",
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.reasoning.output_tokens",
            "gen_ai.usage.total_tokens",
            "gen_ai.conversation.id",
            "gen_ai.usage.cost",
            "gen_ai.usage.cost.input",
            "gen_ai.usage.cost.output");
    assertThat(a.get("gen_ai.operation.name").getStringValue()).isEqualTo("chat");
    assertThat(a.get("gen_ai.provider.name").getStringValue()).isEqualTo("openai");
    assertThat(a.get("gen_ai.request.model").getStringValue()).isEqualTo("gpt-4o-mini");
    assertThat(a.get("gen_ai.request.max_tokens")).isEqualTo(intValue(512));
    assertThat(a.get("gen_ai.request.temperature").getDoubleValue()).isEqualTo(0.7);
    assertThat(json(a.get("gen_ai.input.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"system","parts":[{"type":"text","content":"You are a concise assistant."}]},
                 {"role":"user","parts":[{"type":"text","content":"What is the capital of Australia?"}]}]"""));
    assertThat(a.get("gen_ai.output.type").getStringValue()).isEqualTo("json");
    assertThat(json(a.get("gen_ai.output.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[{"type":"text","content":"The capital of Australia is Canberra."}],
                  "finish_reason":"stop"}]"""));
    assertThat(a.get("gen_ai.response.id").getStringValue())
        .isEqualTo("chatcmpl-BXk2LZ0vQf8yR1sTq3mN7pW4aJ9cE");
    assertThat(a.get("gen_ai.response.model").getStringValue()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(25));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(8));
    assertThat(a.get("gen_ai.usage.cache_read.input_tokens")).isEqualTo(intValue(0));
    assertThat(a.get("gen_ai.usage.reasoning.output_tokens")).isEqualTo(intValue(0));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(a.get("gen_ai.conversation.id").getStringValue())
        .isEqualTo("45802f38266558e95adfd946609351d8");
    // gpt-4o-mini: 0.15 USD/M input, 0.60 USD/M output: 25 * 0.15 + 8 * 0.60 = 8.55 USD/M
    assertThat(a.get("gen_ai.usage.cost.input").getDoubleValue()).isEqualTo(0.00000375);
    assertThat(a.get("gen_ai.usage.cost.output").getDoubleValue()).isEqualTo(0.0000048);
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.00000855);
    assertThat(unparsedCount()).isZero();
  }

  @Test
  void chatFixtureLeavesEverythingButTheGenAiSpanAlone() {
    final ExportTraceServiceRequest in = TestTraces.fixture("kong-3.13-chat.json");
    final ExportTraceServiceRequest out = process(in, GenAiProcessorConfig.defaults());
    final List<Span> before = spans(in);
    final List<Span> after = spans(out);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      final Span b = before.get(i);
      final Span o = after.get(i);
      if (b.getName().equals("kong.gen_ai")) {
        // Only the attributes change: ids, parent, name, kind and times stay.
        assertThat(o.toBuilder().clearAttributes().build())
            .isEqualTo(b.toBuilder().clearAttributes().build());
      } else {
        assertThat(o).isEqualTo(b);
      }
    }
    assertThat(out.getResourceSpans(0).getResource())
        .isEqualTo(in.getResourceSpans(0).getResource());
  }

  @Test
  void traceparentFixtureKeepsTheCallersTraceAsConversation() {
    final ExportTraceServiceRequest out =
        process(TestTraces.fixture("kong-3.13-traceparent.json"), GenAiProcessorConfig.defaults());
    final Span span = genAiSpan(out);
    final Map<String, AnyValue> a = attributes(span);
    assertThat(a.get("gen_ai.conversation.id").getStringValue())
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(a.get("gen_ai.response.id").getStringValue())
        .isEqualTo("chatcmpl-BXk5QmR8tV1wX3yZ7aB2cD4eF6gH0");
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.00000855);
  }

  @Test
  void upstream500KeepsTheErrorBodyAndInventsNoUsage() {
    final ExportTraceServiceRequest in = TestTraces.fixture("kong-3.13-upstream-500.json");
    final Map<String, AnyValue> before = attributes(genAiSpan(in));
    final Map<String, AnyValue> a =
        attributes(genAiSpan(process(in, GenAiProcessorConfig.defaults())));

    assertThat(a.get("gen_ai.output.messages")).isEqualTo(before.get("gen_ai.output.messages"));
    assertThat(unparsedCount()).isZero();
    assertThat(a.keySet())
        .noneMatch(k -> k.startsWith("gen_ai.usage.") || k.startsWith("gen_ai.response."));
    assertThat(
            json(a.get("gen_ai.input.messages")).get(1).get("parts").get(0).get("content").asText())
        .isEqualTo("What is the capital of Australia?");
    assertThat(a.get("gen_ai.request.max_tokens")).isEqualTo(intValue(512));
    assertThat(a.get("gen_ai.conversation.id").getStringValue())
        .isEqualTo("8048ea9c3655273257456796681bfed3");
  }

  // ---- variants

  @Test
  void partsFormMessagesAreKeptAsTheyAre() {
    final ExportTraceServiceRequest in = TestTraces.fixture("genai/parts-form.json");
    final Map<String, AnyValue> before = attributes(genAiSpan(in));
    final Map<String, AnyValue> a =
        attributes(genAiSpan(process(in, GenAiProcessorConfig.defaults())));
    assertThat(a.get("gen_ai.input.messages")).isEqualTo(before.get("gen_ai.input.messages"));
    assertThat(a.get("gen_ai.output.messages")).isEqualTo(before.get("gen_ai.output.messages"));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(unparsedCount()).isZero();
  }

  @Test
  void intTokensOnTheSpanWinAndTheBodyFillsTheRest() {
    final Map<String, AnyValue> a =
        normalized("genai/int-tokens.json", GenAiProcessorConfig.defaults());
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(25));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(8));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(a.get("gen_ai.request.max_tokens")).isEqualTo(intValue(512));
    assertThat(a.get("gen_ai.response.id").getStringValue()).isEqualTo("chatcmpl-T1");
    assertThat(a.get("gen_ai.response.model").getStringValue()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.cache_read.input_tokens")).isEqualTo(intValue(10));
    assertThat(a.get("gen_ai.usage.reasoning.output_tokens")).isEqualTo(intValue(3));
    // 15 uncached * 0.15 + 10 cached * 0.075 = 3.0 USD/M; 8 * 0.60 = 4.8 USD/M
    assertThat(a.get("gen_ai.usage.cost.input").getDoubleValue()).isEqualTo(0.000003);
    assertThat(a.get("gen_ai.usage.cost.output").getDoubleValue()).isEqualTo(0.0000048);
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.0000078);
  }

  @Test
  void stringNumbersAndFinishReasonsAreTyped() {
    final Map<String, AnyValue> a =
        normalized("genai/string-tokens.json", GenAiProcessorConfig.defaults());
    assertThat(a.get("gen_ai.request.max_tokens")).isEqualTo(intValue(512));
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(25));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(8));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
  }

  @Test
  void toolCallsBecomeToolCallParts() {
    final Map<String, AnyValue> a =
        normalized("genai/tool-calls.json", GenAiProcessorConfig.defaults());
    assertThat(json(a.get("gen_ai.input.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"system","parts":[{"type":"text","content":"Use the tools."}]},
                 {"role":"user","parts":[{"type":"text","content":"What is the weather in Paris?"},
                   {"type":"uri","modality":"image","uri":"https://example.com/paris.png"}]},
                 {"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather",
                   "arguments":{"location":"Paris","unit":"c"}}]},
                 {"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"rainy, 14°C"}]},
                 {"role":"user","parts":[{"type":"text","content":"And in Rome/Lazio?"}]}]"""));
    assertThat(json(a.get("gen_ai.output.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[
                   {"type":"tool_call","id":"call_2","name":"get_weather","arguments":{"location":"Rome"}},
                   {"type":"tool_call","id":"call_3","name":"get_time","arguments":"not json"}],
                  "finish_reason":"tool_calls"}]"""));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("tool_calls")));
    assertThat(a.get("gen_ai.response.id").getStringValue()).isEqualTo("chatcmpl-TOOL");
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(110));
    assertThat(a.get("gen_ai.tool.call.id").getStringValue()).isEqualTo("call_2");
    assertThat(a.get("gen_ai.tool.name").getStringValue()).isEqualTo("get_weather");
  }

  @Test
  void streamedSynthesizedBodyFillsUsageButNoIdOrModel() {
    final ExportTraceServiceRequest in = TestTraces.fixture("genai/streamed.json");
    final Span span = genAiSpan(process(in, GenAiProcessorConfig.defaults()));
    final Map<String, AnyValue> a = attributes(span);
    assertThat(span.getEndTimeUnixNano()).isZero();
    assertThat(a).doesNotContainKeys("gen_ai.response.id", "gen_ai.response.model");
    assertThat(json(a.get("gen_ai.output.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[{"type":"text","content":"One, two, three."}],"finish_reason":"stop"}]"""));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(12));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(5));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(17));
    // no response model: priced by the request model, gpt-4o-mini
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.0000048);
  }

  @Test
  void anthropicBodiesAreRead() {
    final Map<String, AnyValue> a =
        normalized("genai/anthropic.json", GenAiProcessorConfig.defaults());
    assertThat(json(a.get("gen_ai.input.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"system","parts":[{"type":"text","content":"Be brief."}]},
                 {"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},
                 {"role":"assistant","parts":[{"type":"tool_call","id":"toolu_1","name":"get_weather",
                   "arguments":{"location":"Paris"}}]},
                 {"role":"user","parts":[{"type":"tool_call_response","id":"toolu_1","response":"rainy"}]}]"""));
    assertThat(json(a.get("gen_ai.output.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[{"type":"text","content":"It is rainy."},
                   {"type":"tool_call","id":"toolu_2","name":"get_time","arguments":{"city":"Paris"}}],
                  "finish_reason":"tool_use"}]"""));
    assertThat(a.get("gen_ai.response.id").getStringValue()).isEqualTo("msg_01");
    assertThat(a.get("gen_ai.response.model").getStringValue())
        .isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("tool_use")));
    // 50 uncached + 100 cache read + 20 cache creation
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(170));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(30));
    assertThat(a.get("gen_ai.usage.cache_read.input_tokens")).isEqualTo(intValue(100));
    assertThat(a.get("gen_ai.usage.cache_creation.input_tokens")).isEqualTo(intValue(20));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(200));
    // claude-3-5-sonnet: 70 * 3.00 + 100 * 0.30 = 240 USD/M; 30 * 15.00 = 450 USD/M
    assertThat(a.get("gen_ai.usage.cost.input").getDoubleValue()).isEqualTo(0.00024);
    assertThat(a.get("gen_ai.usage.cost.output").getDoubleValue()).isEqualTo(0.00045);
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.00069);
  }

  @Test
  void systemMessagesAreAlsoExposedAsSystemInstructionsWhenAsked() {
    final GenAiProcessorConfig split =
        new GenAiProcessorConfig(
            true, ConversationId.defaults(), UserId.defaults(), Cost.defaults());
    final Map<String, AnyValue> a =
        attributes(genAiSpan(process(TestTraces.fixture("kong-3.13-chat.json"), split)));
    assertThat(json(a.get("gen_ai.system_instructions")))
        .isEqualTo(json("[{\"type\":\"text\",\"content\":\"You are a concise assistant.\"}]"));
    assertThat(json(a.get("gen_ai.input.messages")).get(0).get("role").asText())
        .isEqualTo("system");

    final Map<String, AnyValue> notSplit =
        normalized("kong-3.13-chat.json", GenAiProcessorConfig.defaults());
    assertThat(notSplit).doesNotContainKey("gen_ai.system_instructions");
  }

  @Test
  void structuredValuesBecomeJsonStrings() {
    final Map<String, AnyValue> a =
        normalized("genai/structured.json", GenAiProcessorConfig.defaults());
    assertThat(a.get("gen_ai.input.messages").hasStringValue()).isTrue();
    assertThat(json(a.get("gen_ai.input.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"system","parts":[{"type":"text","content":"You are a concise assistant."}]},
                 {"role":"user","parts":[{"type":"text","content":"What is the capital of Australia?"}]}]"""));
    assertThat(json(a.get("gen_ai.output.messages")))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[{"type":"text","content":"Canberra."}],"finish_reason":"stop"}]"""));
    assertThat(json(a.get("gen_ai.system_instructions")))
        .isEqualTo(json("[{\"type\":\"text\",\"content\":\"You are a concise assistant.\"}]"));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(25));
    assertThat(unparsedCount()).isZero();
  }

  @Test
  void legacyNamesAreRewrittenToCurrentOnes() {
    final Map<String, AnyValue> a =
        normalized("genai/legacy.json", GenAiProcessorConfig.defaults());
    assertThat(a)
        .doesNotContainKeys(
            "gen_ai.system", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens");
    assertThat(new ArrayList<>(a.keySet()).subList(0, 5))
        .containsExactly(
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.response.finish_reasons");
    assertThat(a.get("gen_ai.provider.name").getStringValue()).isEqualTo("openai");
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(25));
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(intValue(8));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
    assertThat(a.get("gen_ai.response.finish_reasons"))
        .isEqualTo(AnyValues.ofStrings(List.of("stop")));
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.00000855);
  }

  @Test
  void legacyNameDoesNotOverwriteTheCurrentOne() {
    final Span span =
        Span.newBuilder()
            .setName("chat")
            .addAttributes(kv("gen_ai.request.model", AnyValues.ofString("m")))
            .addAttributes(kv("gen_ai.usage.input_tokens", AnyValues.ofLong(7)))
            .addAttributes(kv("gen_ai.usage.prompt_tokens", AnyValues.ofLong(9)))
            .build();
    final Map<String, AnyValue> a = attributes(normalizeOne(span, GenAiProcessorConfig.defaults()));
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(intValue(7));
    assertThat(a).doesNotContainKey("gen_ai.usage.prompt_tokens");
  }

  @Test
  void invalidJsonIsKeptAndCounted() {
    final ExportTraceServiceRequest in = TestTraces.fixture("genai/invalid-json.json");
    final Map<String, AnyValue> before = attributes(genAiSpan(in));
    final Map<String, AnyValue> a =
        attributes(genAiSpan(process(in, GenAiProcessorConfig.defaults())));
    assertThat(a.get("gen_ai.input.messages")).isEqualTo(before.get("gen_ai.input.messages"));
    assertThat(a.get("gen_ai.output.messages")).isEqualTo(before.get("gen_ai.output.messages"));
    assertThat(unparsed("gen_ai.input.messages")).isEqualTo(1.0);
    assertThat(unparsed("gen_ai.output.messages")).isEqualTo(1.0);
    // Plain text is a valid system instruction
    assertThat(unparsed("gen_ai.system_instructions")).isZero();
    assertThat(json(a.get("gen_ai.system_instructions")))
        .isEqualTo(json("[{\"type\":\"text\",\"content\":\"You are a concise assistant.\"}]"));
    assertThat(a.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(33));
  }

  @Test
  void sessionIdOnTheResourceIsTheConversationAndEnduserTheUser() {
    final Map<String, AnyValue> a =
        normalized("genai/session-resource.json", GenAiProcessorConfig.defaults());
    assertThat(a.get("gen_ai.conversation.id").getStringValue()).isEqualTo("sess-42");
    assertThat(a.get("user.id").getStringValue()).isEqualTo("alice");
  }

  @Test
  void conversationIdCanBeLeftUnsetAndReadFromOtherKeys() {
    final GenAiProcessorConfig none =
        new GenAiProcessorConfig(
            false,
            new ConversationId(List.of("x.thread"), ConversationIdDefault.NONE),
            new UserId(List.of("x.user")),
            Cost.defaults());
    assertThat(normalized("kong-3.13-chat.json", none))
        .doesNotContainKeys("gen_ai.conversation.id", "user.id");
    final Map<String, AnyValue> fromResource = normalized("genai/session-resource.json", none);
    assertThat(fromResource).doesNotContainKeys("gen_ai.conversation.id", "user.id");

    final GenAiProcessorConfig spanFirst =
        new GenAiProcessorConfig(
            false,
            new ConversationId(
                List.of("service.name", "enduser.id"), ConversationIdDefault.TRACE_ID),
            UserId.defaults(),
            Cost.defaults());
    // enduser.id is on the span, service.name only on the resource: the span wins
    assertThat(
            normalized("genai/session-resource.json", spanFirst)
                .get("gen_ai.conversation.id")
                .getStringValue())
        .isEqualTo("alice");
  }

  @Test
  void pricesMatchTheLongestPrefixAndUnknownModelsCostNothing() {
    final ExportTraceServiceRequest out =
        process(TestTraces.fixture("genai/price-prefix.json"), GenAiProcessorConfig.defaults());
    final List<Span> spans = spans(out);
    final Map<String, AnyValue> gpt4o = attributes(spans.get(1));
    // gpt-4o-2024-08-06 -> gpt-4o: 600 * 2.50 + 400 cached * 1.25 = 2000 USD/M; 100 * 10.00 = 1000
    // USD/M
    assertThat(gpt4o.get("gen_ai.usage.cost.input").getDoubleValue()).isEqualTo(0.002);
    assertThat(gpt4o.get("gen_ai.usage.cost.output").getDoubleValue()).isEqualTo(0.001);
    assertThat(gpt4o.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.003);
    final Map<String, AnyValue> local = attributes(spans.get(2));
    assertThat(local)
        .doesNotContainKeys(
            "gen_ai.usage.cost", "gen_ai.usage.cost.input", "gen_ai.usage.cost.output");
    assertThat(local.get("gen_ai.usage.total_tokens")).isEqualTo(intValue(15));
  }

  @Test
  void inlinePricesOverrideTheFileAndTheDefaults() {
    final Map<String, ModelPrice> inline = new LinkedHashMap<>();
    inline.put("gpt-4o-mini", new ModelPrice(1.0, 2.0, null));
    inline.put("my-local", new ModelPrice(0.5, 0.5, null));
    final String file =
        "models:\n  gpt-4o-mini: {input: 9, output: 9}\n  my-local-model: {input: 3, output: 4}\n";
    final GenAiProcessorConfig config =
        new GenAiProcessorConfig(
            false, ConversationId.defaults(), UserId.defaults(), new Cost(true, inline, file));
    assertThat(config.cost().validate()).isEmpty();

    final Map<String, AnyValue> chat = normalized("kong-3.13-chat.json", config);
    // 25 * 1 + 8 * 2 = 41 USD/M
    assertThat(chat.get("gen_ai.usage.cost.input").getDoubleValue()).isEqualTo(0.000025);
    assertThat(chat.get("gen_ai.usage.cost.output").getDoubleValue()).isEqualTo(0.000016);
    assertThat(chat.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.000041);

    // my-local-model: the file's exact-prefix entry is longer than the inline "my-local": 10 * 3 +
    // 5 * 4
    final List<Span> spans = spans(process(TestTraces.fixture("genai/price-prefix.json"), config));
    assertThat(attributes(spans.get(2)).get("gen_ai.usage.cost").getDoubleValue())
        .isEqualTo(0.00005);
  }

  @Test
  void withoutDefaultPricesNoCostIsWritten() {
    final GenAiProcessorConfig config =
        new GenAiProcessorConfig(
            false, ConversationId.defaults(), UserId.defaults(), new Cost(false, null, null));
    assertThat(normalized("kong-3.13-chat.json", config))
        .doesNotContainKeys(
            "gen_ai.usage.cost", "gen_ai.usage.cost.input", "gen_ai.usage.cost.output")
        .containsKey("gen_ai.usage.total_tokens");
  }

  @Test
  void nonGenAiSpansPassUnchanged() {
    final ExportTraceServiceRequest in = TestTraces.fixture("genai/non-genai.json");
    final TraceBatch batch = TraceBatch.of(in);
    final ProcessResult result = processor(GenAiProcessorConfig.defaults()).process(batch);
    assertThat(result.output().request()).isEqualTo(in);
    assertThat(result.output().spanCount()).isEqualTo(2);
    assertThat(result.rejectedSpans()).isZero();
    assertThat(unparsedCount()).isZero();
  }

  @Test
  void aSpanAlreadyNormalizedComesBackAsItIs() {
    final TraceProcessor processor = processor(GenAiProcessorConfig.defaults());
    final TraceBatch once =
        processor.process(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"))).output();
    final TraceBatch twice = processor.process(once).output();
    assertThat(twice).isSameAs(once);
  }

  @Test
  void duplicateKeysAreWrittenOnceWithTheFirstValueAndTheOtherAttributesAsTheyCame() {
    final Span span =
        Span.newBuilder()
            .addAttributes(kv("gen_ai.operation.name", AnyValues.ofString("chat")))
            .addAttributes(kv("gen_ai.request.model", AnyValues.ofString("first")))
            .addAttributes(kv("gen_ai.request.model", AnyValues.ofString("second")))
            .addAttributes(kv("app.flag", AnyValue.newBuilder().setBoolValue(true).build()))
            .build();
    final Span out = normalizeOne(span, GenAiProcessorConfig.defaults());
    assertThat(out.getAttributesList())
        .containsExactly(span.getAttributes(0), span.getAttributes(1), span.getAttributes(3));
  }

  @Test
  void costAlreadyOnTheSpanIsKept() {
    final Span span =
        Span.newBuilder()
            .addAttributes(kv("gen_ai.operation.name", AnyValues.ofString("chat")))
            .addAttributes(kv("gen_ai.request.model", AnyValues.ofString("gpt-4o")))
            .addAttributes(kv("gen_ai.usage.input_tokens", AnyValues.ofLong(10)))
            .addAttributes(kv("gen_ai.usage.cost", AnyValues.ofDouble(1.5)))
            .build();
    final Map<String, AnyValue> a = attributes(normalizeOne(span, GenAiProcessorConfig.defaults()));
    assertThat(a.get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(1.5);
    assertThat(a)
        .doesNotContainKeys(
            "gen_ai.usage.cost.input", "gen_ai.usage.cost.output", "gen_ai.usage.total_tokens");
  }

  @Test
  void oneProcessorServesManyThreadsAlike() throws Exception {
    final TraceProcessor processor = processor(GenAiProcessorConfig.defaults());
    final List<String> fixtures =
        List.of(
            "kong-3.13-chat.json",
            "genai/tool-calls.json",
            "genai/anthropic.json",
            "genai/structured.json");
    final Map<String, ExportTraceServiceRequest> expected = new LinkedHashMap<>();
    for (String f : fixtures) {
      expected.put(f, processor.process(TraceBatch.of(TestTraces.fixture(f))).output().request());
    }
    final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      final List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        final String f = fixtures.get(i % fixtures.size());
        final ExportTraceServiceRequest in = TestTraces.fixture(f);
        results.add(
            pool.submit(
                () ->
                    processor
                        .process(TraceBatch.of(in))
                        .output()
                        .request()
                        .equals(expected.get(f))));
      }
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertThat(r.get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void emptyBatchIsFine() {
    final ProcessResult result =
        processor(GenAiProcessorConfig.defaults()).process(TraceBatch.EMPTY);
    assertThat(result.output().isEmpty()).isTrue();
  }

  // ---- helpers

  private TraceProcessor processor(GenAiProcessorConfig config) {
    assertThat(config.cost().validate()).isEmpty();
    return new GenAiProcessorFactory()
        .create(
            config,
            new ProcessorSettings(ComponentId.of("genai"), "traces", registry, Clock.SYSTEM));
  }

  private ExportTraceServiceRequest process(
      ExportTraceServiceRequest in, GenAiProcessorConfig config) {
    final ProcessResult result = processor(config).process(TraceBatch.of(in));
    assertThat(result.rejectedSpans()).isZero();
    assertThat(result.output().spanCount()).isEqualTo(TraceBatch.countSpans(in));
    return result.output().request();
  }

  private Map<String, AnyValue> normalized(String fixture, GenAiProcessorConfig config) {
    return attributes(genAiSpan(process(TestTraces.fixture(fixture), config)));
  }

  private Span normalizeOne(Span span, GenAiProcessorConfig config) {
    final ExportTraceServiceRequest in =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build();
    return spans(process(in, config)).get(0);
  }

  private double unparsed(String attribute) {
    return registry
        .get(GenAiProcessorTelemetry.UNPARSED_MESSAGES)
        .tag("processor", "genai")
        .tag("attribute", attribute)
        .counter()
        .count();
  }

  private double unparsedCount() {
    return unparsed("gen_ai.input.messages")
        + unparsed("gen_ai.output.messages")
        + unparsed("gen_ai.system_instructions");
  }

  static List<Span> spans(ExportTraceServiceRequest request) {
    final List<Span> spans = new ArrayList<>();
    request
        .getResourceSpansList()
        .forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
    return spans;
  }

  static Span genAiSpan(ExportTraceServiceRequest request) {
    return spans(request).stream()
        .filter(dev.genainormalizer.semconv.GenAiKind::isGenAi)
        .findFirst()
        .orElseThrow();
  }

  static Map<String, AnyValue> attributes(Span span) {
    final Map<String, AnyValue> map = new LinkedHashMap<>();
    for (KeyValue kv : span.getAttributesList()) {
      assertThat(map.put(kv.getKey(), kv.getValue())).as("duplicate key %s", kv.getKey()).isNull();
    }
    return map;
  }

  static AnyValue intValue(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static JsonNode json(AnyValue value) {
    assertThat(value.hasStringValue()).as("a JSON string: %s", value).isTrue();
    return json(value.getStringValue());
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
