package dev.genainormalizer.exporter.otlphttp;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code encoding} of OTLP/HTTP request bodies. */
public enum Encoding {
  /** Binary protobuf, {@code application/x-protobuf}. */
  @JsonProperty("proto")
  PROTO,
  /** OTLP/JSON with hex ids, {@code application/json}. */
  @JsonProperty("json")
  JSON;

  public String yamlName() {
    return this == PROTO ? "proto" : "json";
  }
}
