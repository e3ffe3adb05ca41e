package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import java.time.Duration;

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

  static String toJson(Status status) {
    try {
      return JSON.print(status);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print google.rpc.Status", e);
    }
  }
}
