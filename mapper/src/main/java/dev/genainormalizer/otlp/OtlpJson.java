package dev.genainormalizer.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP/JSON for traces, as the OTLP specification defines it: protobuf's JSON mapping except that
 * trace and span ids are hex strings, not base64. Accepts enums as ints or names, 64-bit integers
 * as strings or numbers, and ignores unknown fields; writes lowerCamelCase keys, enums as ints and
 * 64-bit integers as strings, as the specification asks of senders.
 */
public final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

  private OtlpJson() {}

  /**
   * Parses an OTLP/JSON {@code ExportTraceServiceRequest}.
   *
   * @throws InvalidProtocolBufferException with a message naming what is wrong and where
   */
  public static ExportTraceServiceRequest parseTraces(byte[] json)
      throws InvalidProtocolBufferException {
    final JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("invalid JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException(
          "invalid OTLP/JSON: expected a JSON object at the top");
    }
    idsToBase64(root);
    final ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    PARSER.merge(root.toString(), builder);
    return builder.build();
  }

  /** Writes a request as OTLP/JSON with hex ids. */
  public static String printTraces(ExportTraceServiceRequest request) {
    final JsonNode tree = readPrinted(request);
    idsToHex(tree);
    return tree.toString();
  }

  /** Writes any other OTLP message (responses, {@code google.rpc.Status}) as JSON. */
  public static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  private static JsonNode readPrinted(Message message) {
    try {
      return MAPPER.readTree(print(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("protobuf printed invalid JSON", e);
    }
  }

  private static void idsToBase64(JsonNode root) throws InvalidProtocolBufferException {
    int r = 0;
    for (JsonNode rs : arrayOf(root, "resourceSpans", "resource_spans")) {
      int s = 0;
      for (JsonNode ss : arrayOf(rs, "scopeSpans", "scope_spans")) {
        int i = 0;
        for (JsonNode span : arrayOf(ss, "spans", "spans")) {
          final String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
          convertIds(span, where, true);
          int l = 0;
          for (JsonNode link : arrayOf(span, "links", "links")) {
            convertIds(link, where + ".links[" + l + "]", true);
            l++;
          }
          i++;
        }
        s++;
      }
      r++;
    }
  }

  private static void idsToHex(JsonNode root) {
    for (JsonNode rs : arrayOf(root, "resourceSpans", "resourceSpans")) {
      for (JsonNode ss : arrayOf(rs, "scopeSpans", "scopeSpans")) {
        for (JsonNode span : arrayOf(ss, "spans", "spans")) {
          try {
            convertIds(span, "", false);
            for (JsonNode link : arrayOf(span, "links", "links")) {
              convertIds(link, "", false);
            }
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }

  private static void convertIds(JsonNode node, String where, boolean toBase64)
      throws InvalidProtocolBufferException {
    if (!(node instanceof ObjectNode obj)) {
      return;
    }
    for (String[] names :
        new String[][] {
          {"traceId", "trace_id"}, {"spanId", "span_id"}, {"parentSpanId", "parent_span_id"}
        }) {
      for (String name : names) {
        final JsonNode value = obj.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
          continue;
        }
        final String text = value.asText();
        if (toBase64) {
          final byte[] bytes;
          try {
            bytes = HEX.parseHex(text);
          } catch (IllegalArgumentException e) {
            throw new InvalidProtocolBufferException(
                where + "." + names[0] + ": '" + abbreviate(text) + "' is not a hex id");
          }
          obj.set(name, TextNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
        } else {
          obj.set(name, TextNode.valueOf(HEX.formatHex(Base64.getDecoder().decode(text))));
        }
      }
    }
  }

  private static Iterable<JsonNode> arrayOf(JsonNode node, String camel, String snake) {
    JsonNode value = node.get(camel);
    if (value == null) {
      value = node.get(snake);
    }
    return value instanceof ArrayNode array ? array : java.util.List.of();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    final int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
