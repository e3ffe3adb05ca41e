package dev.genainormalizer.exporter.helper;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** {@code compression} of an OTLP exporter's requests. */
public enum Compression {
  @JsonProperty("gzip")
  GZIP,
  @JsonProperty("none")
  NONE;

  /** The name used in YAML and in {@code Content-Encoding} / {@code grpc-encoding}. */
  public String yamlName() {
    return this == GZIP ? "gzip" : "none";
  }

  /** Gzips {@code data} in memory; requests are bounded by the receiver's body limit. */
  public static byte[] gzip(byte[] data) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory failed", e); // cannot happen with a byte array
    }
    return out.toByteArray();
  }
}
