package dev.genainormalizer.processor.genai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/**
 * The one JSON mapper of the package (thread-safe once built). Decimals are kept exact, so a tool
 * call's {@code 1.10} argument is written back as {@code 1.10}. Message JSON nested deeper than
 * {@value #MAX_NESTING_DEPTH} levels is not parsed (the attribute is kept as it was), so a hostile
 * attribute cannot make the normalizer recurse deeply.
 */
final class Json {
  static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .build())
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  static JsonNodeFactory nodes() {
    return MAPPER.getNodeFactory();
  }

  /** The parsed text, or empty when it is not one valid JSON value. */
  static Optional<JsonNode> read(String text) {
    try {
      final JsonNode node = MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree built from parsed JSON and strings always serializes.
      throw new IllegalStateException(e);
    }
  }
}
