package dev.genainormalizer.exporter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.google.protobuf.ByteString;
import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Edge cases each profile must get right beyond the golden files. */
class VendorEdgeTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ExportTraceServiceRequest oneSpan(Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static Span.Builder chatSpan() {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HEX.parseHex("0102030405060708090a0b0c0d0e0f10")))
        .setSpanId(ByteString.copyFrom(HEX.parseHex("0102030405060708")))
        .setName("chat gpt-4o")
        .addAttributes(kv("gen_ai.operation.name", AnyValues.ofString("chat")))
        .addAttributes(kv("gen_ai.request.model", AnyValues.ofString("gpt-4o")));
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static Map<String, String> attrs(ExportTraceServiceRequest out) {
    return Goldens.attrs(out.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList());
  }

  private static AnyValue kvlist(String... keyValues) {
    final KeyValueList.Builder list = KeyValueList.newBuilder();
    for (int i = 0; i < keyValues.length; i += 2) {
      list.addValues(kv(keyValues[i], AnyValues.ofString(keyValues[i + 1])));
    }
    return AnyValue.newBuilder().setKvlistValue(list).build();
  }

  // vendors.md §7 "Encoding for this project" and §1 "Value encoding gotcha": structured message
  // values go out as JSON strings, for every profile.
  @ParameterizedTest
  @MethodSource("dev.genainormalizer.exporter.profile.VendorProfilesTest#names")
  void structuredMessagesBecomeJsonStrings(String name) throws Exception {
    final AnyValue parts =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder().addValues(kvlist("type", "text", "content", "Hello")))
            .build();
    final AnyValue message =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("role", AnyValues.ofString("user")))
                    .addValues(kv("parts", parts)))
            .build();
    final Span span =
        chatSpan()
            .addAttributes(
                kv(
                    "gen_ai.input.messages",
                    AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(message))
                        .build()))
            .build();
    final Span out =
        VendorProfilesTest.mapper(name, ContentPolicy.KEEP)
            .map(oneSpan(span))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    final AnyValue mapped =
        out.getAttributesList().stream()
            .filter(a -> a.getKey().equals("gen_ai.input.messages"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(mapped.hasStringValue()).isTrue();
    assertThat(new ObjectMapper().readTree(mapped.getStringValue()))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]"));
  }

  // A message attribute that is not parts-form JSON (e.g. a raw provider body the processor could
  // not convert) passes through unchanged and yields no derived keys, never an exception.
  @ParameterizedTest
  @MethodSource("dev.genainormalizer.exporter.profile.VendorProfilesTest#names")
  void invalidMessagesPassThroughAndDeriveNothing(String name) {
    final Span span =
        chatSpan()
            .addAttributes(kv("gen_ai.input.messages", AnyValues.ofString("{not json")))
            .addAttributes(kv("gen_ai.output.messages", AnyValues.ofString("{\"choices\":[]}")))
            .build();
    final Map<String, String> out =
        attrs(VendorProfilesTest.mapper(name, ContentPolicy.KEEP).map(oneSpan(span)));
    assertThat(out.get("gen_ai.input.messages")).isEqualTo("{\"stringValue\":\"{not json\"}");
    assertThat(out.keySet())
        .noneMatch(
            k ->
                k.startsWith("llm.input_messages")
                    || k.startsWith("gen_ai.prompt.")
                    || k.startsWith("gen_ai.llm.input"));
  }

  @ParameterizedTest
  @MethodSource("dev.genainormalizer.exporter.profile.VendorProfilesTest#names")
  void dropAlsoClearsContentFromSpanEvents(String name) {
    final Span span =
        chatSpan()
            .addEvents(
                Span.Event.newBuilder()
                    .setName("gen_ai.client.inference.operation.details")
                    .addAttributes(kv("gen_ai.input.messages", AnyValues.ofString("[]")))
                    .addAttributes(kv("gen_ai.response.id", AnyValues.ofString("r-1"))))
            .addAttributes(kv("fiddler.span.type", AnyValues.ofString("agent")))
            .build();
    final Span out =
        VendorProfilesTest.mapper(name, ContentPolicy.DROP)
            .map(oneSpan(span))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(Goldens.attrs(out.getEvents(0).getAttributesList()))
        .containsOnlyKeys("gen_ai.response.id");
    // A valid Fiddler span type chosen by the sender is kept (and other profiles pass it through).
    assertThat(Goldens.attrs(out.getAttributesList()))
        .containsEntry("fiddler.span.type", "{\"stringValue\":\"agent\"}");
  }

  // vendors.md §8.8: Langfuse reads any gen_ai.prompt*/gen_ai.completion* key as Traceloop input.
  @Test
  void langfuseDropsPromptPrefixedKeys() {
    final Span span =
        chatSpan()
            .addAttributes(kv("gen_ai.prompt.name", AnyValues.ofString("greeting")))
            .addAttributes(kv("gen_ai.prompt.0.content", AnyValues.ofString("hi")))
            .addAttributes(kv("gen_ai.completion.0.content", AnyValues.ofString("hello")))
            .build();
    final Map<String, String> out =
        attrs(VendorProfiles.LANGFUSE.mapper(ContentPolicy.KEEP).map(oneSpan(span)));
    assertThat(out.keySet())
        .noneMatch(k -> k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"));
    assertThat(out).containsEntry("langfuse.observation.type", "{\"stringValue\":\"generation\"}");
  }

  @Test
  void rerootingCanBeTurnedOff() {
    final ExportTraceServiceRequest in = Goldens.input("normalized-traceparent.json");
    final ExportTraceServiceRequest langfuse =
        VendorProfiles.LANGFUSE
            .mapper(new LangfuseSettings("", "", false), ContentPolicy.KEEP)
            .map(in);
    final ExportTraceServiceRequest mlflow =
        VendorProfiles.MLFLOW.mapper(new MlflowSettings(true, false), ContentPolicy.KEEP).map(in);
    assertThat(Goldens.spans(langfuse).get("5659894380e95282").getParentSpanId())
        .isEqualTo(ByteString.copyFrom(HEX.parseHex("b7ad6b7169203331")));
    assertThat(Goldens.spans(mlflow).get("5659894380e95282").getParentSpanId())
        .isEqualTo(ByteString.copyFrom(HEX.parseHex("b7ad6b7169203331")));
    // Profiles that never re-root keep the caller's parent too.
    assertThat(
            Goldens.spans(VendorProfiles.PHOENIX.mapper(ContentPolicy.KEEP).map(in))
                .get("5659894380e95282")
                .getParentSpanId())
        .isNotEmpty();
  }

  // vendors.md §4 "Required attributes": every span typed, application.id on every resource.
  @Test
  void fiddlerTypesEverySpanOfEveryInput() {
    for (String input : VendorProfilesTest.INPUTS) {
      final ExportTraceServiceRequest out =
          VendorProfiles.FIDDLER
              .mapper(FiddlerSettings.of(VendorGoldenTest.APP_ID), ContentPolicy.DROP)
              .map(Goldens.input(input));
      for (ResourceSpans rs : out.getResourceSpansList()) {
        assertThat(Goldens.attrs(rs.getResource().getAttributesList()))
            .containsEntry(
                "application.id", "{\"stringValue\":\"" + VendorGoldenTest.APP_ID + "\"}");
      }
      for (Span s : Goldens.spans(out).values()) {
        assertThat(Goldens.attrs(s.getAttributesList()).get("fiddler.span.type"))
            .isIn(
                "{\"stringValue\":\"llm\"}",
                "{\"stringValue\":\"tool\"}",
                "{\"stringValue\":\"chain\"}",
                "{\"stringValue\":\"agent\"}");
      }
    }
  }

  @Test
  void fiddlerSettingsAreChecked() {
    assertThat(FiddlerSettings.defaults().validate())
        .containsExactly(
            "application_id: required (Fiddler rejects traces without the resource attribute"
                + " application.id)");
    assertThat(FiddlerSettings.of("acme").validate())
        .containsExactly("application_id: acme (expected: the application's UUID)");
    assertThat(FiddlerSettings.of(VendorGoldenTest.APP_ID).validate()).isEmpty();
    assertThatThrownBy(() -> VendorProfiles.FIDDLER.mapper(ContentPolicy.KEEP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("profile fiddler: application_id: required");
  }

  @Test
  void fiddlerCapsPlainTextAt64000Bytes() {
    final String big = "é".repeat(40_000); // 80,000 bytes of UTF-8
    final String input =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + big + "\"}]}]";
    final Span span =
        chatSpan().addAttributes(kv("gen_ai.input.messages", AnyValues.ofString(input))).build();
    final ExportTraceServiceRequest out =
        VendorProfiles.FIDDLER
            .mapper(FiddlerSettings.of(VendorGoldenTest.APP_ID), ContentPolicy.KEEP)
            .map(oneSpan(span));
    final String user =
        out.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList().stream()
            .filter(a -> a.getKey().equals("gen_ai.llm.input.user"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .getStringValue();
    assertThat(user).isEqualTo("é".repeat(32_000));
  }

  // What the sender set explicitly wins over what a profile derives.
  @Test
  void explicitVendorKeysAreKept() {
    final Span span =
        chatSpan()
            .addAttributes(kv("openinference.span.kind", AnyValues.ofString("AGENT")))
            .addAttributes(kv("mlflow.spanType", AnyValues.ofString("AGENT")))
            .addAttributes(kv("session.id", AnyValues.ofString("s-1")))
            .addAttributes(kv("gen_ai.conversation.id", AnyValues.ofString("c-1")))
            .build();
    assertThat(attrs(VendorProfiles.PHOENIX.mapper(ContentPolicy.KEEP).map(oneSpan(span))))
        .containsEntry("openinference.span.kind", "{\"stringValue\":\"AGENT\"}")
        .containsEntry("session.id", "{\"stringValue\":\"s-1\"}");
    assertThat(attrs(VendorProfiles.MLFLOW.mapper(ContentPolicy.KEEP).map(oneSpan(span))))
        .containsEntry("mlflow.spanType", "{\"stringValue\":\"AGENT\"}");
  }

  // vendors.md §2 "Token usage" gotcha: no usage without both counts; no spanType without the
  // option.
  @Test
  void mlflowWritesTokenUsageOnlyWithBothCountsAndOnlyWhenAsked() {
    final Span onlyInput =
        chatSpan().addAttributes(kv("gen_ai.usage.input_tokens", AnyValues.ofLong(3))).build();
    assertThat(attrs(VendorProfiles.MLFLOW.mapper(ContentPolicy.KEEP).map(oneSpan(onlyInput))))
        .doesNotContainKey("mlflow.chat.tokenUsage")
        .containsEntry("mlflow.spanType", "{\"stringValue\":\"CHAT_MODEL\"}");
    assertThat(
            attrs(
                VendorProfiles.MLFLOW
                    .mapper(new MlflowSettings(false, true), ContentPolicy.KEEP)
                    .map(oneSpan(onlyInput))))
        .doesNotContainKeys("mlflow.chat.tokenUsage", "mlflow.spanType");
  }

  @Test
  void noMessagesMeansNoDerivedText() {
    final ExportTraceServiceRequest in = Goldens.input("normalized-no-messages.json");
    for (String name : VendorProfilesTest.NAMES) {
      final Map<String, String> out =
          attrs(VendorProfilesTest.mapper(name, ContentPolicy.KEEP).map(in));
      assertThat(out.keySet())
          .as(name)
          .noneMatch(
              k ->
                  k.startsWith("llm.input_messages")
                      || k.startsWith("gen_ai.prompt.")
                      || k.equals("input.value")
                      || k.startsWith("gen_ai.llm."));
      assertThat(out).as(name).containsEntry("gen_ai.usage.input_tokens", "{\"intValue\":\"25\"}");
    }
  }

  // The settings records bind the way the exporter configs will: snake_case keys, missing =
  // default.
  @Test
  void settingsBindFromSnakeCaseWithDefaults() throws Exception {
    final ObjectMapper yaml =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    assertThat(yaml.readValue("{\"application_id\":\"x\"}", FiddlerSettings.class))
        .isEqualTo(new FiddlerSettings("x", "<UNKNOWN_AGENT>", true));
    assertThat(
            yaml.readValue(
                "{\"trace_name\":\"t\",\"reroot_orphans\":false}", LangfuseSettings.class))
        .isEqualTo(new LangfuseSettings("", "t", false));
    assertThat(yaml.readValue("{}", MlflowSettings.class)).isEqualTo(MlflowSettings.defaults());
    assertThat(yaml.readValue("{\"openinference_keys\":true}", OpenObserveSettings.class))
        .isEqualTo(new OpenObserveSettings(true));
    assertThat(yaml.readValue("{\"project\":\"p\"}", OpenInferenceSettings.class))
        .isEqualTo(new OpenInferenceSettings("p"));
    final JsonNode ignored = yaml.readTree("{}");
    assertThat(yaml.treeToValue(ignored, NoSettings.class)).isEqualTo(NoSettings.defaults());
  }
}
