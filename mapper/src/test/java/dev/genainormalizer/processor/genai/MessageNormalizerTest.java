package dev.genainormalizer.processor.genai;

import static dev.genainormalizer.processor.genai.GenAiProcessorTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.processor.genai.MessageNormalizer.Outcome;
import dev.genainormalizer.processor.genai.MessageNormalizer.Result;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageNormalizerTest {
  private final MessageNormalizer normalizer = new MessageNormalizer();

  @Test
  void contentPartsOfEveryKind() {
    final Result r =
        normalizer.input(
            string(
                """
                [{"role":"user","name":"ann","content":[
                   {"type":"text","text":"look"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
                   {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                   {"type":"file","file":{"file_id":"file-1"}}]},
                 {"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{\\"x\\":1.10}"}},
                 {"role":"developer","content":"Be exact."}]"""));
    assertThat(r.outcome()).isEqualTo(Outcome.REWRITTEN);
    assertThat(json(r.json()))
        .isEqualTo(
            json(
                """
                [{"role":"user","parts":[
                   {"type":"text","content":"look"},
                   {"type":"blob","modality":"image","mime_type":"image/png","content":"iVBORw0KGgo="},
                   {"type":"blob","modality":"audio","mime_type":"audio/wav","content":"UklGRg=="},
                   {"type":"blob","modality":"image","mime_type":"image/jpeg","content":"/9j/4AAQ"},
                   {"type":"file","modality":"document","file_id":"file-1"}],"name":"ann"},
                 {"role":"assistant","parts":[{"type":"tool_call","name":"f","arguments":{"x":1.10}}]},
                 {"role":"developer","parts":[{"type":"text","content":"Be exact."}]}]"""));
    // the decimal is written as sent, not as a double
    assertThat(r.json()).contains("\"x\":1.10");
    assertThat(r.systemParts()).hasSize(1);
  }

  @Test
  void requestBodiesSingleMessagesAndDoubleEncodedStrings() {
    assertThat(
            json(
                normalizer
                    .input(
                        string(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .json()))
        .isEqualTo(
            json("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"));
    assertThat(json(normalizer.input(string("{\"role\":\"user\",\"content\":\"hi\"}")).json()))
        .isEqualTo(
            json("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"));
    assertThat(
            json(
                normalizer
                    .input(
                        string("\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"a\\/b\\\"}]\""))
                    .json()))
        .isEqualTo(
            json("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"a/b\"}]}]"));
    final AnyValue kvlist =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(KeyValue.newBuilder().setKey("role").setValue(str("user")))
                    .addValues(KeyValue.newBuilder().setKey("content").setValue(str("hi"))))
            .build();
    assertThat(json(normalizer.input(kvlist).json()))
        .isEqualTo(
            json("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"));
  }

  @Test
  void whatCannotBeReadIsUnparsedAndEmptyIsNothing() {
    assertThat(normalizer.input(string("42")).outcome()).isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.input(string("\"just text\"")).outcome()).isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.input(string("[1,2]")).outcome()).isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.input(string("{\"foo\":1}")).outcome()).isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.input(AnyValue.newBuilder().setIntValue(3).build()).outcome())
        .isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.input(string("  ")).outcome()).isEqualTo(Outcome.EMPTY);
    assertThat(
            normalizer.output(string("{\"output\":[{\"type\":\"message\"}]}"), List.of()).outcome())
        .isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.output(string("[{\"x\":1}]"), List.of()).outcome())
        .isEqualTo(Outcome.UNPARSED);
  }

  @Test
  void errorBodiesAreKeptNotCounted() {
    assertThat(
            normalizer
                .output(
                    string("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"),
                    List.of())
                .outcome())
        .isEqualTo(Outcome.ERROR_BODY);
    assertThat(
            normalizer
                .output(
                    string(
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                    List.of())
                .outcome())
        .isEqualTo(Outcome.ERROR_BODY);
  }

  @Test
  void embeddingsBodiesGiveUsageAndAreKept() {
    final Result r =
        normalizer.output(
            string(
                "{\"object\":\"list\",\"data\":[{\"embedding\":[0.1]}],\"model\":\"text-embedding-3-small\","
                    + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}"),
            List.of());
    assertThat(r.outcome()).isEqualTo(Outcome.KEPT);
    assertThat(r.response().inputTokens()).isEqualTo(8L);
    assertThat(r.response().model()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void severalChoicesLegacyTextAndBareMessages() {
    final Result r =
        normalizer.output(
            string(
                """
                {"id":"x","choices":[
                  {"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"},
                  {"index":1,"text":"b","finish_reason":"length"}],
                 "usage":{"prompt_tokens":"3","completion_tokens":4.0}}"""),
            List.of());
    assertThat(json(r.json()))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","parts":[{"type":"text","content":"a"}],"finish_reason":"stop"},
                 {"role":"assistant","parts":[{"type":"text","content":"b"}],"finish_reason":"length"}]"""));
    assertThat(r.response().finishReasons()).containsExactly("stop", "length");
    assertThat(r.response().inputTokens()).isEqualTo(3L);
    assertThat(r.response().outputTokens()).isEqualTo(4L);

    // OpenAI messages without a finish reason take the span's
    final Result bare =
        normalizer.output(
            string("[{\"role\":\"assistant\",\"content\":\"hi\"}]"), List.of("length"));
    assertThat(json(bare.json()))
        .isEqualTo(
            json(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}],\"finish_reason\":\"length\"}]"));
    assertThat(bare.response().finishReasons()).isEmpty();
  }

  @Test
  void toolMessagesWithTextBlocksAndBodiesWithoutChoices() {
    assertThat(
            json(
                normalizer
                    .input(
                        string(
                            "[{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":[{\"type\":\"text\",\"text\":\"42\"}]}]"))
                    .json()))
        .isEqualTo(
            json(
                "[{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"c1\",\"response\":\"42\"}]}]"));
    final Result empty =
        normalizer.output(
            string("[{\"id\":\"r1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5}}]"), List.of());
    assertThat(empty.outcome()).isEqualTo(Outcome.REWRITTEN);
    assertThat(empty.json()).isEqualTo("[]");
    assertThat(empty.response().id()).isEqualTo("r1");
    assertThat(empty.response().inputTokens()).isEqualTo(5L);
  }

  @Test
  void systemInstructionsInEveryForm() {
    final String expected = "[{\"type\":\"text\",\"content\":\"Be brief.\"}]";
    assertThat(normalizer.systemInstructions(string(expected)).outcome()).isEqualTo(Outcome.KEPT);
    assertThat(json(normalizer.systemInstructions(string("Be brief.")).json()))
        .isEqualTo(json(expected));
    assertThat(json(normalizer.systemInstructions(string("\"Be brief.\"")).json()))
        .isEqualTo(json(expected));
    assertThat(
            json(
                normalizer
                    .systemInstructions(
                        string("[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{}}]"))
                    .json()))
        .isEqualTo(json(expected));
    assertThat(
            json(
                normalizer
                    .systemInstructions(string("[{\"role\":\"system\",\"content\":\"Be brief.\"}]"))
                    .json()))
        .isEqualTo(json(expected));
    assertThat(normalizer.systemInstructions(string("[{\"x\":1}]")).outcome())
        .isEqualTo(Outcome.UNPARSED);
    assertThat(normalizer.systemInstructions(string("")).outcome()).isEqualTo(Outcome.EMPTY);
  }

  private static AnyValue string(String s) {
    return str(s);
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}
