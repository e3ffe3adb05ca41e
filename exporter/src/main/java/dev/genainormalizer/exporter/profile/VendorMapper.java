package dev.genainormalizer.exporter.profile;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Maps a request of normalized spans to what one backend reads. Implementations are pure,
 * thread-safe and never throw for bad span data (a message attribute that is not valid JSON is
 * passed through and simply yields no derived keys). The input is never modified: protobuf messages
 * are immutable and every mapper builds a new request.
 */
@FunctionalInterface
public interface VendorMapper {
  ExportTraceServiceRequest map(ExportTraceServiceRequest request);
}
