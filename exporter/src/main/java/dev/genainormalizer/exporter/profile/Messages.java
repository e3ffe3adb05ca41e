package dev.genainormalizer.exporter.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The OTel GenAI "parts" message form ({@code [{"role","parts":[…],"finish_reason"?}]}) read into a
 * small model. Anything that is not that shape (invalid JSON, a raw provider body) reads as no
 * messages: profiles then derive nothing from it and pass the attribute through unchanged.
 */
final class Messages {
  // Decimals stay exact so tool-call arguments are re-serialized as they arrived.
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Messages() {}

  /** One part of a message; {@code node} is the part as received. */
  record Part(String type, JsonNode node) {
    String content() {
      final JsonNode c = node.get("content");
      return c != null && c.isTextual() ? c.asText() : null;
    }

    String id() {
      final JsonNode id = node.get("id");
      return id != null && id.isTextual() ? id.asText() : null;
    }

    String name() {
      final JsonNode n = node.get("name");
      return n != null && n.isTextual() ? n.asText() : null;
    }

    /** Tool-call arguments as a JSON string; a string argument is taken as already serialized. */
    String arguments() {
      return jsonText(node.get("arguments"));
    }

    /** A tool response as text: a string as it is, anything else as JSON. */
    String response() {
      return jsonText(node.get("response"));
    }
  }

  record Message(String role, String name, List<Part> parts, String finishReason) {
    List<Part> parts(String type) {
      final List<Part> out = new ArrayList<>();
      for (Part p : parts) {
        if (p.type().equals(type)) {
          out.add(p);
        }
      }
      return out;
    }

    /** The text parts joined by a newline; empty when there are none. */
    String text() {
      final StringBuilder sb = new StringBuilder();
      for (Part p : parts("text")) {
        final String c = p.content();
        if (c != null) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }

  /**
   * Parses {@code gen_ai.input.messages} / {@code gen_ai.output.messages}; empty if not parts form.
   */
  static List<Message> parse(String json) {
    final JsonNode root = read(json);
    final List<Message> out = new ArrayList<>();
    if (root == null || !root.isArray()) {
      return out;
    }
    for (JsonNode m : root) {
      final JsonNode parts = m.get("parts");
      if (!m.isObject() || parts == null || !parts.isArray()) {
        return List.of();
      }
      out.add(
          new Message(
              textOr(m.get("role"), ""),
              textOr(m.get("name"), null),
              readParts(parts),
              textOr(m.get("finish_reason"), null)));
    }
    return out;
  }

  /** Parses {@code gen_ai.system_instructions} (an array of parts) as one system message. */
  static List<Message> parseSystemInstructions(String json) {
    final JsonNode root = read(json);
    if (root == null || !root.isArray() || root.isEmpty()) {
      return List.of();
    }
    return List.of(new Message("system", null, readParts(root), null));
  }

  /**
   * The input messages with the system instructions in front as a system message, unless the input
   * already has one (the rule Langfuse applies in {@code prependSystemInstructions}).
   */
  static List<Message> withSystemInstructions(List<Message> system, List<Message> input) {
    if (system.isEmpty() || input.stream().anyMatch(m -> m.role().equals("system"))) {
      return input;
    }
    final List<Message> out = new ArrayList<>(system);
    out.addAll(input);
    return out;
  }

  static String jsonText(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  static boolean isJson(String s) {
    return read(s) != null;
  }

  private static List<Part> readParts(JsonNode parts) {
    final List<Part> out = new ArrayList<>();
    for (JsonNode p : parts) {
      if (p.isObject()) {
        out.add(new Part(textOr(p.get("type"), ""), p));
      }
    }
    return out;
  }

  private static JsonNode read(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String textOr(JsonNode node, String fallback) {
    return node != null && node.isTextual() ? node.asText() : fallback;
  }
}
