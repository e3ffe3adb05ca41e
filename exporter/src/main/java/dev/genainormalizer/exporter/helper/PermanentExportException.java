package dev.genainormalizer.exporter.helper;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A send that will never succeed as it is (bad request, rejected credentials): the batch is dropped
 * at once. The message says why, with the backend's status and the start of its answer.
 */
public final class PermanentExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Response bodies quoted in messages are cut to this many bytes, so a huge HTML page cannot flood
   * logs.
   */
  public static final int MAX_BODY_BYTES = 1024;

  public PermanentExportException(String message) {
    this(message, null);
  }

  public PermanentExportException(String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
  }

  /**
   * The first {@value #MAX_BODY_BYTES} bytes of a response body as text for a log line, with a note
   * of how much was cut; empty quotes for an empty body.
   */
  public static String cutBody(byte[] body) {
    Objects.requireNonNull(body, "body");
    if (body.length <= MAX_BODY_BYTES) {
      return new String(body, StandardCharsets.UTF_8);
    }
    // Decoding a prefix may split a UTF-8 sequence; the decoder turns that into U+FFFD, fine for a
    // log.
    return new String(body, 0, MAX_BODY_BYTES, StandardCharsets.UTF_8)
        + "…("
        + (body.length - MAX_BODY_BYTES)
        + " more bytes)";
  }
}
