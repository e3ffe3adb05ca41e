package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** Decodes OTLP/protobuf requests, the same way for both transports. */
final class ProtobufRequests {
  private ProtobufRequests() {}

  /**
   * @param recursionLimit {@link ReceiverLimits#protobufRecursionLimit()}: deeper nesting than any
   *     request within the limits is refused before it costs stack
   */
  static ExportTraceServiceRequest parse(CodedInputStream in, int recursionLimit)
      throws InvalidProtocolBufferException {
    in.setRecursionLimit(recursionLimit);
    final ExportTraceServiceRequest request = ExportTraceServiceRequest.parser().parseFrom(in);
    in.checkLastTagWas(0);
    return request;
  }
}
