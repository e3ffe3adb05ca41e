package dev.genainormalizer.processor.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genainormalizer.otlp.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites message attributes into the OTel GenAI "parts" form: OpenAI and Anthropic messages,
 * whole response bodies (bare or in an array), Kong's synthesized stream body, structured {@code
 * arrayValue}/{@code kvlistValue} values. Stateless and thread-safe.
 */
final class MessageNormalizer {
  private static final JsonNodeFactory NODES = Json.nodes();

  /** What became of one attribute. */
  enum Outcome {
    /** Write {@link Result#json()} in place of the value. */
    REWRITTEN,
    /** Already in parts form (or not messages, such as an embeddings body): keep the value. */
    KEPT,
    /** An upstream error body: keep the value, it is what happened. */
    ERROR_BODY,
    /** Empty: nothing to do. */
    EMPTY,
    /** Not JSON, or JSON of no known shape: keep the value and count it. */
    UNPARSED
  }

  /**
   * @param outcome what to do with the attribute
   * @param json the parts-form JSON when {@code outcome} is REWRITTEN, else empty
   * @param response what a response body said (output messages only); NONE otherwise
   * @param systemParts the parts of the input's system and developer messages (input only)
   */
  record Result(
      Outcome outcome, String json, ResponseSummary response, List<JsonNode> systemParts) {
    static Result of(Outcome outcome) {
      return new Result(outcome, "", ResponseSummary.NONE, List.of());
    }
  }

  /** {@code gen_ai.input.messages}. */
  Result input(AnyValue value) {
    final Parsed parsed = parse(value);
    if (parsed.outcome != null) {
      return Result.of(parsed.outcome);
    }
    final JsonNode node = parsed.node;
    final List<JsonNode> messages = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(messages::add);
    } else if (node.isObject() && node.path("messages").isArray()) {
      // A whole request body; Anthropic carries its system prompt beside the messages.
      final JsonNode system = node.get("system");
      if (system != null && !system.isNull()) {
        messages.add(NODES.objectNode().put("role", "system").set("content", system));
      }
      node.get("messages").forEach(messages::add);
    } else if (node.isObject() && node.has("role")) {
      messages.add(node);
    } else {
      return Result.of(Outcome.UNPARSED);
    }
    boolean allParts = true;
    final ArrayNode out = NODES.arrayNode();
    final List<JsonNode> systemParts = new ArrayList<>();
    for (JsonNode m : messages) {
      if (!m.isObject() || !(m.has("role") || m.has("parts"))) {
        return Result.of(Outcome.UNPARSED);
      }
      allParts &= m.path("parts").isArray();
      final ObjectNode converted = message(m, "user");
      final String role = converted.path("role").asText();
      if (role.equals("system") || role.equals("developer")) {
        converted.path("parts").forEach(systemParts::add);
      }
      out.add(converted);
    }
    if (allParts && !parsed.structured && node.isArray()) {
      return new Result(Outcome.KEPT, "", ResponseSummary.NONE, systemParts);
    }
    return new Result(Outcome.REWRITTEN, Json.write(out), ResponseSummary.NONE, systemParts);
  }

  /**
   * {@code gen_ai.output.messages}.
   *
   * @param spanFinishReasons the span's {@code gen_ai.response.finish_reasons}, used for messages
   *     that carry none
   */
  Result output(AnyValue value, List<String> spanFinishReasons) {
    final Parsed parsed = parse(value);
    if (parsed.outcome != null) {
      return Result.of(parsed.outcome);
    }
    final List<JsonNode> items = new ArrayList<>();
    if (parsed.node.isArray()) {
      parsed.node.forEach(items::add);
    } else {
      items.add(parsed.node);
    }
    final ArrayNode out = NODES.arrayNode();
    ResponseSummary summary = null;
    int errors = 0;
    int bodiesWithoutMessages = 0;
    int bodies = 0;
    boolean allParts = true;
    final List<String> finishReasons = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject()) {
        return Result.of(Outcome.UNPARSED);
      }
      if (item.has("error") && !item.has("choices")) {
        errors++;
      } else if (item.path("choices").isArray()) {
        allParts = false;
        bodies++;
        summary = summary != null ? summary : openAiSummary(item);
        for (JsonNode choice : item.get("choices")) {
          JsonNode message = choice.get("message");
          if (message == null || !message.isObject()) {
            message = choice.get("delta");
          }
          final ObjectNode converted;
          if (message != null && message.isObject()) {
            converted = message(message, "assistant");
          } else if (choice.has("text")) {
            // Legacy completions: choices[].text
            converted = NODES.objectNode().put("role", "assistant");
            converted.putArray("parts").add(textPart(choice.get("text").asText()));
          } else {
            continue;
          }
          addFinishReason(
              converted,
              text(choice.get("finish_reason")),
              out.size(),
              spanFinishReasons,
              finishReasons);
          out.add(converted);
        }
      } else if ("message".equals(item.path("type").asText()) && item.path("content").isArray()) {
        // Anthropic Messages API body
        allParts = false;
        bodies++;
        summary = summary != null ? summary : anthropicSummary(item);
        final ObjectNode converted = message(item, "assistant");
        addFinishReason(
            converted, text(item.get("stop_reason")), out.size(), spanFinishReasons, finishReasons);
        out.add(converted);
      } else if (item.path("data").isArray() && item.has("usage")) {
        // An embeddings body: no messages, but usage worth keeping
        summary = summary != null ? summary : openAiSummary(item);
        bodiesWithoutMessages++;
      } else if (item.has("role") || item.path("parts").isArray()) {
        allParts &= item.path("parts").isArray();
        final ObjectNode converted = message(item, "assistant");
        addFinishReason(
            converted,
            text(item.get("finish_reason")),
            out.size(),
            spanFinishReasons,
            finishReasons);
        out.add(converted);
      } else {
        return Result.of(Outcome.UNPARSED);
      }
    }
    if (errors > 0 && out.isEmpty()) {
      return Result.of(Outcome.ERROR_BODY);
    }
    final ResponseSummary response =
        (summary == null ? ResponseSummary.NONE : summary).withFinishReasons(finishReasons);
    if (out.isEmpty() && bodiesWithoutMessages > 0) {
      return new Result(Outcome.KEPT, "", response, List.of());
    }
    if (out.isEmpty() && bodies == 0) {
      return Result.of(Outcome.UNPARSED);
    }
    if (allParts && !parsed.structured && parsed.node.isArray() && errors == 0) {
      return new Result(Outcome.KEPT, "", response, List.of());
    }
    return new Result(Outcome.REWRITTEN, Json.write(out), response, List.of());
  }

  /**
   * {@code gen_ai.system_instructions}: written as a parts array. Plain text that is not JSON is
   * taken as the instruction itself.
   */
  Result systemInstructions(AnyValue value) {
    if (value.hasStringValue()) {
      final String s = value.getStringValue().strip();
      if (s.isEmpty()) {
        return Result.of(Outcome.EMPTY);
      }
      if (!s.startsWith("[") && !s.startsWith("{") && !s.startsWith("\"")) {
        return rewritten(NODES.arrayNode().add(textPart(value.getStringValue())));
      }
    }
    final Parsed parsed = parse(value);
    if (parsed.outcome != null) {
      return Result.of(parsed.outcome);
    }
    final JsonNode node = parsed.node;
    final ArrayNode out = NODES.arrayNode();
    if (node.isTextual()) {
      out.add(textPart(node.asText()));
      return rewritten(out);
    }
    final List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else {
      items.add(node);
    }
    boolean allParts = true;
    for (JsonNode item : items) {
      if (item.isObject() && (item.has("role") || item.path("parts").isArray())) {
        // A message list: take the messages' parts
        allParts = false;
        message(item, "system").path("parts").forEach(out::add);
      } else if (item.isTextual() || (item.isObject() && item.has("type"))) {
        allParts &= item.isObject() && isOtelPart(item);
        out.add(part(item));
      } else {
        return Result.of(Outcome.UNPARSED);
      }
    }
    if (allParts && !parsed.structured && node.isArray()) {
      return Result.of(Outcome.KEPT);
    }
    return rewritten(out);
  }

  private static Result rewritten(ArrayNode parts) {
    return new Result(Outcome.REWRITTEN, Json.write(parts), ResponseSummary.NONE, List.of());
  }

  private record Parsed(JsonNode node, boolean structured, Outcome outcome) {}

  private static Parsed parse(AnyValue value) {
    switch (value.getValueCase()) {
      case ARRAY_VALUE:
      case KVLIST_VALUE:
        {
          JsonNode node = AnyValues.toJson(value);
          // A structured array of JSON strings, one per message
          if (node.isArray()) {
            final ArrayNode decoded = NODES.arrayNode();
            for (JsonNode e : node) {
              decoded.add(e.isTextual() ? readNested(e.asText()).orElse(e) : e);
            }
            node = decoded;
          }
          return new Parsed(node, true, null);
        }
      case STRING_VALUE:
        {
          final String s = value.getStringValue();
          if (s.isBlank()) {
            return new Parsed(null, false, Outcome.EMPTY);
          }
          final Optional<JsonNode> node = Json.read(s);
          if (node.isEmpty()) {
            return new Parsed(null, false, Outcome.UNPARSED);
          }
          JsonNode n = node.get();
          if (n.isTextual()) {
            // Encoded twice: a JSON string holding the JSON
            final Optional<JsonNode> inner = readNested(n.asText());
            if (inner.isPresent()) {
              return new Parsed(inner.get(), true, null);
            }
          }
          return new Parsed(
              n, false, n.isContainerNode() || n.isTextual() ? null : Outcome.UNPARSED);
        }
      default:
        return new Parsed(null, false, Outcome.UNPARSED);
    }
  }

  private static Optional<JsonNode> readNested(String text) {
    final String s = text.strip();
    if (!s.startsWith("[") && !s.startsWith("{")) {
      return Optional.empty();
    }
    return Json.read(s).filter(JsonNode::isContainerNode);
  }

  /** One message in parts form: {@code {role, parts[, name]}}. */
  private static ObjectNode message(JsonNode m, String defaultRole) {
    final String role = m.hasNonNull("role") ? m.get("role").asText() : defaultRole;
    final ObjectNode out = NODES.objectNode().put("role", role);
    final ArrayNode parts = out.putArray("parts");
    if (m.path("parts").isArray()) {
      m.get("parts").forEach(p -> parts.add(p.deepCopy()));
    } else if (role.equals("tool") || role.equals("function")) {
      final ObjectNode response = NODES.objectNode().put("type", "tool_call_response");
      final JsonNode id = m.hasNonNull("tool_call_id") ? m.get("tool_call_id") : null;
      if (id != null) {
        response.set("id", id);
      }
      response.set("response", toolResponse(m.get("content")));
      parts.add(response);
    } else {
      final JsonNode reasoning = m.get("reasoning_content");
      if (reasoning != null && reasoning.isTextual() && !reasoning.asText().isEmpty()) {
        parts.add(NODES.objectNode().put("type", "reasoning").put("content", reasoning.asText()));
      }
      addContent(parts, m.get("content"));
      final JsonNode refusal = m.get("refusal");
      if (refusal != null && refusal.isTextual() && !refusal.asText().isEmpty()) {
        parts.add(NODES.objectNode().put("type", "refusal").put("content", refusal.asText()));
      }
      if (m.path("tool_calls").isArray()) {
        for (JsonNode call : m.get("tool_calls")) {
          parts.add(toolCall(call));
        }
      }
      if (m.path("function_call").isObject()) {
        parts.add(toolCall(NODES.objectNode().set("function", m.get("function_call"))));
      }
    }
    if (m.hasNonNull("name") && m.get("name").isTextual()) {
      out.put("name", m.get("name").asText());
    }
    if (m.hasNonNull("finish_reason")) {
      out.set("finish_reason", m.get("finish_reason"));
    }
    return out;
  }

  private static void addFinishReason(
      ObjectNode message,
      String reason,
      int index,
      List<String> spanReasons,
      List<String> collected) {
    String r = reason;
    if (r == null) {
      r = message.hasNonNull("finish_reason") ? message.get("finish_reason").asText() : null;
    }
    if (r != null) {
      collected.add(r);
    } else if (index < spanReasons.size()) {
      r = spanReasons.get(index);
    }
    if (r != null) {
      message.put("finish_reason", r);
    }
  }

  private static void addContent(ArrayNode parts, JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return;
    }
    if (content.isArray()) {
      content.forEach(p -> parts.add(part(p)));
    } else if (content.isObject()) {
      parts.add(part(content));
    } else if (!content.asText().isEmpty()) {
      parts.add(textPart(content.asText()));
    }
  }

  /** One content part (OpenAI, Anthropic or already OTel) in OTel form. */
  private static JsonNode part(JsonNode p) {
    if (!p.isObject()) {
      return textPart(p.asText());
    }
    final String type = p.path("type").asText();
    switch (type) {
      case "text", "input_text", "output_text":
        if (p.has("text")) {
          return textPart(p.get("text").asText());
        }
        return p.deepCopy();
      case "image_url", "input_image":
        {
          final JsonNode image = p.get("image_url");
          final String url =
              image == null ? "" : image.isObject() ? image.path("url").asText() : image.asText();
          return url.isEmpty() ? p.deepCopy() : media(url, "image");
        }
      case "input_audio":
        {
          final JsonNode audio = p.path("input_audio");
          final ObjectNode blob = NODES.objectNode().put("type", "blob").put("modality", "audio");
          if (audio.hasNonNull("format")) {
            blob.put("mime_type", "audio/" + audio.get("format").asText());
          }
          return blob.put("content", audio.path("data").asText());
        }
      case "image", "document":
        {
          // Anthropic: {type:image, source:{type:base64|url, media_type, data|url}}
          final JsonNode source = p.path("source");
          final String modality = type.equals("image") ? "image" : "document";
          if ("base64".equals(source.path("type").asText())) {
            final ObjectNode blob =
                NODES.objectNode().put("type", "blob").put("modality", modality);
            if (source.hasNonNull("media_type")) {
              blob.put("mime_type", source.get("media_type").asText());
            }
            return blob.put("content", source.path("data").asText());
          }
          if ("url".equals(source.path("type").asText())) {
            return NODES
                .objectNode()
                .put("type", "uri")
                .put("modality", modality)
                .put("uri", source.path("url").asText());
          }
          return p.deepCopy();
        }
      case "file":
        {
          // OpenAI: {type:file, file:{file_id | file_data, filename}}; OTel: a file or blob part
          final JsonNode file = p.get("file");
          if (file == null || !file.isObject()) {
            return p.deepCopy();
          }
          if (file.hasNonNull("file_id")) {
            return NODES
                .objectNode()
                .put("type", "file")
                .put("modality", "document")
                .put("file_id", file.get("file_id").asText());
          }
          final String data = file.path("file_data").asText();
          return data.startsWith("data:") ? media(data, "document") : p.deepCopy();
        }
      case "tool_use":
        {
          final ObjectNode call = NODES.objectNode().put("type", "tool_call");
          if (p.hasNonNull("id")) {
            call.set("id", p.get("id"));
          }
          call.put("name", p.path("name").asText());
          if (p.has("input")) {
            call.set("arguments", p.get("input"));
          }
          return call;
        }
      case "tool_result":
        {
          final ObjectNode response = NODES.objectNode().put("type", "tool_call_response");
          if (p.hasNonNull("tool_use_id")) {
            response.set("id", p.get("tool_use_id"));
          }
          response.set("response", toolResponse(p.get("content")));
          return response;
        }
      case "thinking":
        return NODES
            .objectNode()
            .put("type", "reasoning")
            .put("content", p.path("thinking").asText());
      default:
        return p.deepCopy();
    }
  }

  private static boolean isOtelPart(JsonNode p) {
    return switch (p.path("type").asText()) {
      case "text", "reasoning" -> p.has("content") && !p.has("text");
      case "tool_call",
          "tool_call_response",
          "blob",
          "uri",
          "file",
          "server_tool_call",
          "server_tool_call_response" ->
          true;
      default -> false;
    };
  }

  /** A data: URL becomes a blob part, any other URL a uri part. */
  private static JsonNode media(String url, String modality) {
    if (url.startsWith("data:")) {
      final int comma = url.indexOf(',');
      final String meta = comma < 0 ? "" : url.substring(5, comma);
      final ObjectNode blob = NODES.objectNode().put("type", "blob").put("modality", modality);
      final String mime = meta.endsWith(";base64") ? meta.substring(0, meta.length() - 7) : meta;
      if (!mime.isEmpty()) {
        blob.put("mime_type", mime);
      }
      return blob.put("content", comma < 0 ? "" : url.substring(comma + 1));
    }
    return NODES.objectNode().put("type", "uri").put("modality", modality).put("uri", url);
  }

  /** An OpenAI tool call {@code {id, type, function:{name, arguments}}} as a tool_call part. */
  private static JsonNode toolCall(JsonNode call) {
    final ObjectNode out = NODES.objectNode().put("type", "tool_call");
    if (call.hasNonNull("id")) {
      out.set("id", call.get("id"));
    }
    final JsonNode function = call.path("function");
    out.put("name", function.path("name").asText());
    final JsonNode args = function.get("arguments");
    if (args != null && !args.isNull()) {
      out.set("arguments", args.isTextual() ? readNested(args.asText()).orElse(args) : args);
    }
    return out;
  }

  /** A tool's answer: text stays text; a list of text blocks becomes their text. */
  private static JsonNode toolResponse(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return NODES.textNode("");
    }
    if (content.isArray()) {
      final StringBuilder text = new StringBuilder();
      for (JsonNode block : content) {
        if (block.isTextual()) {
          text.append(block.asText());
        } else if (block.isObject() && block.has("text")) {
          text.append(block.get("text").asText());
        } else {
          return content.deepCopy();
        }
      }
      return NODES.textNode(text.toString());
    }
    return content.deepCopy();
  }

  private static ObjectNode textPart(String text) {
    return NODES.objectNode().put("type", "text").put("content", text);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static ResponseSummary openAiSummary(JsonNode body) {
    final JsonNode usage = body.path("usage");
    final Long cached =
        firstLong(
            usage.path("prompt_tokens_details").get("cached_tokens"),
            usage.path("input_tokens_details").get("cached_tokens"));
    final Long reasoning =
        firstLong(
            usage.path("completion_tokens_details").get("reasoning_tokens"),
            usage.path("output_tokens_details").get("reasoning_tokens"));
    return new ResponseSummary(
        nonEmpty(body.get("id")),
        nonEmpty(body.get("model")),
        List.of(),
        firstLong(usage.get("prompt_tokens"), usage.get("input_tokens")),
        firstLong(usage.get("completion_tokens"), usage.get("output_tokens")),
        cached,
        null,
        reasoning);
  }

  private static ResponseSummary anthropicSummary(JsonNode body) {
    final JsonNode usage = body.path("usage");
    final Long uncached = firstLong(usage.get("input_tokens"));
    final Long cacheRead = firstLong(usage.get("cache_read_input_tokens"));
    final Long cacheCreation = firstLong(usage.get("cache_creation_input_tokens"));
    // Anthropic counts cached tokens apart; semconv's input_tokens includes them.
    final Long input =
        uncached == null
            ? null
            : uncached
                + (cacheRead == null ? 0 : cacheRead)
                + (cacheCreation == null ? 0 : cacheCreation);
    return new ResponseSummary(
        nonEmpty(body.get("id")),
        nonEmpty(body.get("model")),
        List.of(),
        input,
        firstLong(usage.get("output_tokens")),
        cacheRead,
        cacheCreation,
        null);
  }

  private static String nonEmpty(JsonNode node) {
    final String s = text(node);
    return s == null || s.isEmpty() ? null : s;
  }

  private static Long firstLong(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n == null || n.isNull()) {
        continue;
      }
      if (n.isNumber()) {
        return Math.round(n.doubleValue());
      }
      if (n.isTextual()) {
        try {
          return Math.round(Double.parseDouble(n.asText().strip()));
        } catch (NumberFormatException e) {
          // not a count; try the next name
        }
      }
    }
    return null;
  }
}
