package dev.genainormalizer.receiver.otlp;

import java.util.Locale;
import java.util.Optional;

/** The request {@code Content-Encoding}s the OTLP/HTTP endpoint decodes. */
enum ContentCoding {
  IDENTITY,
  GZIP,
  /** zlib-wrapped as HTTP defines it; raw deflate, which some clients send, is accepted too. */
  DEFLATE;

  /** The coding of a {@code Content-Encoding} header value; empty when unsupported. */
  static Optional<ContentCoding> of(String header) {
    if (header == null) {
      return Optional.of(IDENTITY);
    }
    return switch (header.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity", "none" -> Optional.of(IDENTITY);
      case "gzip", "x-gzip" -> Optional.of(GZIP);
      case "deflate" -> Optional.of(DEFLATE);
      default -> Optional.empty();
    };
  }
}
