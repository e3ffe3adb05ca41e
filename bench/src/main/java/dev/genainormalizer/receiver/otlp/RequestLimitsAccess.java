package dev.genainormalizer.receiver.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lets the benchmarks run the receiver's limit check, which is package-private to the receiver, on
 * a decoded request as {@code TraceIntake} does. Bench-only: lives in the bench module.
 */
public final class RequestLimitsAccess {
  private RequestLimitsAccess() {}

  public static Function<ExportTraceServiceRequest, Optional<String>> defaultLimits() {
    return new RequestLimits(ReceiverLimits.defaults())::violation;
  }
}
