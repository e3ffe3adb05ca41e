package dev.genainormalizer.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenAiKindTest {
  @ParameterizedTest
  @CsvSource({
    "gen_ai.operation.name, chat, LLM",
    "gen_ai.operation.name, text_completion, LLM",
    "gen_ai.operation.name, generate_content, LLM",
    "gen_ai.operation.name, embeddings, EMBEDDING",
    "gen_ai.operation.name, execute_tool, TOOL",
    "gen_ai.operation.name, invoke_agent, AGENT",
    "gen_ai.operation.name, retrieval, RETRIEVER",
    "gen_ai.operation.name, plan, CHAIN",
    "gen_ai.request.model, gpt-4o, LLM",
    "gen_ai.response.model, gpt-4o, LLM",
    "gen_ai.tool.name, search, TOOL",
    "gen_ai.tool.call.id, call_1, TOOL",
    "http.request.method, POST, NONE",
  })
  void theKindAndTheGenAiTestAgree(String key, String value, GenAiKind expected) {
    final List<KeyValue> attributes = List.of(AnyValues.keyValue(key, AnyValues.ofString(value)));
    final Map<String, AnyValue> map = new LinkedHashMap<>();
    attributes.forEach(kv -> map.put(kv.getKey(), kv.getValue()));

    assertThat(GenAiKind.of(map)).isEqualTo(expected);
    assertThat(GenAiKind.isGenAi(attributes)).isEqualTo(expected.isGenAi());
  }

  @ParameterizedTest
  @CsvSource({"LLM, true", "EMBEDDING, true", "TOOL, false", "AGENT, false", "NONE, false"})
  void modelCallsAreLanguageModelAndEmbeddingCalls(GenAiKind kind, boolean modelCall) {
    assertThat(kind.isModelCall()).isEqualTo(modelCall);
  }
}
