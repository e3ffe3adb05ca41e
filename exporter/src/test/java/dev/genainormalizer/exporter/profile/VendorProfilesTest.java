package dev.genainormalizer.exporter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.otlp.AttributeRedactor;
import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every profile, by name: present, usable with its defaults, pure, and honest about content. */
class VendorProfilesTest {
  static final List<String> NAMES =
      List.of(
          "genai",
          "openinference",
          "openllmetry",
          "fiddler",
          "langfuse",
          "mlflow",
          "openobserve",
          "dynatrace",
          "phoenix");

  static final List<String> INPUTS =
      List.of(
          "normalized-chat.json",
          "normalized-traceparent.json",
          "normalized-upstream-500.json",
          "normalized-tool-call.json",
          "normalized-with-caller-span.json",
          "normalized-no-messages.json");

  /** Text that only the prompts, completions and tool payloads of the inputs contain. */
  static final List<String> TEXT =
      List.of(
          "Canberra",
          "capital of Australia",
          "concise assistant",
          "Weather in Paris",
          "weather assistant",
          "rainy",
          "\"Paris\"");

  static Stream<String> names() {
    return NAMES.stream();
  }

  static Stream<Arguments> namesAndInputs() {
    return NAMES.stream().flatMap(n -> INPUTS.stream().map(i -> Arguments.of(n, i)));
  }

  /** Settings good enough to build every profile (Fiddler needs an application id). */
  static Record settings(VendorProfile<?> profile) {
    return profile == VendorProfiles.FIDDLER
        ? FiddlerSettings.of(VendorGoldenTest.APP_ID)
        : profile.defaultSettings();
  }

  static VendorMapper mapper(String name, ContentPolicy content) {
    final VendorProfile<?> profile = VendorProfiles.byName(name).orElseThrow();
    return profile.mapperFor(settings(profile), content);
  }

  @Test
  void namesAreUniqueAndComplete() {
    assertThat(VendorProfiles.names()).containsExactlyInAnyOrderElementsOf(NAMES);
    assertThat(VendorProfiles.byName("no-such-vendor")).isEmpty();
    assertThat(VendorProfiles.byName(null)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("names")
  void lookupGivesTheProfileOfThatName(String name) {
    final VendorProfile<?> profile = VendorProfiles.byName(name).orElseThrow();
    assertThat(profile.name()).isEqualTo(name);
    assertThat(profile.settingsType()).isEqualTo(profile.defaultSettings().getClass());
    assertThat(profile.settingsType().isRecord()).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("namesAndInputs")
  void mapsEveryInputWithoutTouchingIt(String name, String input) throws Exception {
    final ExportTraceServiceRequest in = Goldens.input(input);
    final byte[] before = in.toByteArray();
    final ExportTraceServiceRequest out = mapper(name, ContentPolicy.KEEP).map(in);
    assertThat(in.toByteArray()).isEqualTo(before);
    assertThat(in).isEqualTo(Goldens.input(input));
    assertThat(Goldens.spans(out).keySet()).isEqualTo(Goldens.spans(in).keySet());
    // Mapped output is valid OTLP/JSON that reads back the same.
    assertThat(OtlpJson.parseTraces(OtlpJson.printTraces(out).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(out);
    // One mapper's output never shows up in another's: mapping again from the same input is equal.
    assertThat(mapper(name, ContentPolicy.KEEP).map(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("namesAndInputs")
  void dropRemovesEveryTextAndKeepsTokensModelTimingAndStatus(String name, String input) {
    final ExportTraceServiceRequest in = Goldens.input(input);
    final ExportTraceServiceRequest kept = mapper(name, ContentPolicy.KEEP).map(in);
    final ExportTraceServiceRequest dropped = mapper(name, ContentPolicy.DROP).map(in);

    final boolean inputHasText = TEXT.stream().anyMatch(OtlpJson.printTraces(in)::contains);
    assertThat(TEXT.stream().anyMatch(OtlpJson.printTraces(kept)::contains))
        .isEqualTo(inputHasText);
    assertThat(TEXT).noneMatch(OtlpJson.printTraces(dropped)::contains);

    final Map<String, Span> keptSpans = Goldens.spans(kept);
    for (Map.Entry<String, Span> e : Goldens.spans(dropped).entrySet()) {
      final Span k = keptSpans.get(e.getKey());
      final Span d = e.getValue();
      assertThat(d.getStartTimeUnixNano()).isEqualTo(k.getStartTimeUnixNano());
      assertThat(d.getEndTimeUnixNano()).isEqualTo(k.getEndTimeUnixNano());
      assertThat(d.getStatus()).isEqualTo(k.getStatus());
      assertThat(d.getParentSpanId()).isEqualTo(k.getParentSpanId());
      final Map<String, String> ka = Goldens.attrs(k.getAttributesList());
      final Map<String, String> da = Goldens.attrs(d.getAttributesList());
      final List<String> lost = new ArrayList<>();
      for (String key : ka.keySet()) {
        if (!da.containsKey(key)) {
          lost.add(key);
        }
      }
      // Only content keys may go; tokens, model, cost and the like stay with their values.
      assertThat(lost)
          .allMatch(
              key ->
                  key.equals("gen_ai.input.messages")
                      || key.equals("gen_ai.output.messages")
                      || key.startsWith("llm.input_messages.")
                      || key.startsWith("llm.output_messages.")
                      || key.startsWith("gen_ai.prompt.")
                      || key.startsWith("gen_ai.completion.")
                      || key.matches("(input|output)\\.(value|mime_type)")
                      || key.startsWith("gen_ai.llm.")
                      || key.equals("gen_ai.tool.call.arguments")
                      || key.equals("gen_ai.tool.call.result")
                      || key.equals("gen_ai.system_instructions")
                      || key.equals("gen_ai.tool.input")
                      || key.equals("gen_ai.tool.output"),
              "content key");
      for (String key :
          List.of(
              "gen_ai.usage.input_tokens",
              "gen_ai.usage.output_tokens",
              "gen_ai.usage.total_tokens",
              "gen_ai.request.model",
              "gen_ai.response.model",
              "gen_ai.usage.cost",
              "llm.token_count.prompt",
              "gen_ai.usage.prompt_tokens",
              "mlflow.chat.tokenUsage",
              "llm.model_name")) {
        assertThat(da.get(key)).as(key).isEqualTo(ka.get(key));
      }
    }
  }

  /**
   * What the status page hides unless {@code show_content} is on: every key that carries prompt or
   * completion text, in what is received and in what every profile sends.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("namesAndInputs")
  void hidingContentKeysLeavesNoTextBeforeOrAfterMapping(String name, String input) {
    final ExportTraceServiceRequest in = Goldens.input(input);
    final ExportTraceServiceRequest kept = mapper(name, ContentPolicy.KEEP).map(in);
    final AttributeRedactor hide =
        AttributeRedactor.credentialsAndContent(VendorProfiles::isContentKey);
    assertThat(TEXT).noneMatch(OtlpJson.printTraces(hide.redact(in))::contains);
    assertThat(TEXT).noneMatch(OtlpJson.printTraces(hide.redact(kept))::contains);
    for (String key :
        List.of("gen_ai.usage.input_tokens", "gen_ai.request.model", "llm.model_name")) {
      assertThat(VendorProfiles.isContentKey(key)).as(key).isFalse();
    }
    assertThat(VendorProfiles.isContentKey("gen_ai.input.messages")).isTrue();
    assertThat(VendorProfiles.isContentKey("gen_ai.prompt")).isTrue();
  }

  @Test
  void contentPolicyReadsYamlWords() throws Exception {
    final com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(json.readValue("\"drop\"", ContentPolicy.class)).isEqualTo(ContentPolicy.DROP);
    assertThat(json.readValue("\"KEEP\"", ContentPolicy.class)).isEqualTo(ContentPolicy.KEEP);
    assertThat(json.writeValueAsString(ContentPolicy.DROP)).isEqualTo("\"drop\"");
    assertThatThrownBy(() -> json.readValue("\"hide\"", ContentPolicy.class))
        .hasMessageContaining("content: hide (expected: keep or drop)");
  }

  @Test
  void aMapperNeedsSettingsOfItsOwnType() {
    assertThatThrownBy(
            () -> VendorProfiles.PHOENIX.mapperFor(LangfuseSettings.defaults(), ContentPolicy.KEEP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "settings: LangfuseSettings (expected: OpenInferenceSettings for profile phoenix)");
    assertThat(VendorProfiles.byName("fiddler").orElseThrow().validate(FiddlerSettings.of("x")))
        .containsExactly("application_id: x (expected: the application's UUID)");
    assertThat(VendorProfiles.PHOENIX.validate(NoSettings.defaults()))
        .containsExactly(
            "settings: NoSettings (expected: OpenInferenceSettings for profile phoenix)");
  }

  static List<KeyValue> attributesOf(ExportTraceServiceRequest req, String spanIdHex) {
    return Goldens.spans(req).get(spanIdHex).getAttributesList();
  }
}
