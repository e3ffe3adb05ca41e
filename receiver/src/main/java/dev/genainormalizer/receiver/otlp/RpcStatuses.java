package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** {@code google.rpc.Status} bodies, the OTLP error payload of both transports. */
final class RpcStatuses {
  // Any needs its packed types registered to print as JSON
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build())
          .omittingInsignificantWhitespace();

  private RpcStatuses() {}

  static Status of(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  /** An UNAVAILABLE status that tells the client how long to wait. */
  static Status unavailable(String message, Duration retryAfter) {
    final RetryInfo retryInfo =
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(retryAfter.getSeconds())
                    .setNanos(retryAfter.getNano()))
            .build();
    return Status.newBuilder()
        .setCode(Code.UNAVAILABLE_VALUE)
        .setMessage(message)
        .addDetails(Any.pack(retryInfo))
        .build();
  }

  /**
   * A gRPC trailers-only answer carrying {@code status}: its code, its message and, when it has
   * any, its details; with the codings the listener accepts, which the specification asks for after
   * an unsupported one.
   */
  static ResponseHeadersBuilder grpcTrailersOnly(Status status) {
    final ResponseHeadersBuilder headers =
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(GrpcAnswers.GRPC_PROTO)
            .set("grpc-status", Integer.toString(status.getCode()))
            .set("grpc-message", percentEncoded(status.getMessage()))
            .set("grpc-accept-encoding", GrpcAnswers.ACCEPT_ENCODING);
    if (status.getDetailsCount() > 0) {
      headers.set(
          "grpc-status-details-bin",
          Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()));
    }
    return headers.endOfStream(true);
  }

  /**
   * grpc-message as the gRPC spec wants it: printable ASCII but '%' as is, the rest as %XX of
   * UTF-8.
   */
  private static String percentEncoded(String message) {
    final StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static String toJson(Status status) {
    try {
      return JSON.print(status);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print google.rpc.Status", e);
    }
  }
}
