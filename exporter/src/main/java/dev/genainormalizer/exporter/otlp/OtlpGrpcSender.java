package dev.genainormalizer.exporter.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.PermanentExportException;
import dev.genainormalizer.exporter.helper.RetryableExportException;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.TraceBatch;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceStub;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch once as an OTLP/gRPC {@code Export} call on its own Armeria gRPC client and
 * classifies the status as the Collector's {@code otlp} exporter does: {@code UNAVAILABLE}, {@code
 * CANCELLED}, {@code DEADLINE_EXCEEDED}, {@code ABORTED}, {@code OUT_OF_RANGE} and {@code
 * DATA_LOSS} are retryable; {@code RESOURCE_EXHAUSTED} only when the server says when to retry
 * ({@code google.rpc.RetryInfo}), since without it the limit may be permanent; everything else is
 * permanent.
 */
public final class OtlpGrpcSender implements TraceSender {
  /**
   * The largest request batching builds for an OTLP/gRPC backend: gRPC servers' default largest
   * message, which the Collector's {@code otlp} receiver keeps unless {@code max_recv_msg_size_mib}
   * is set.
   */
  public static final long MAX_REQUEST_BYTES = 4L << 20;

  private static final Logger logger = LoggerFactory.getLogger(OtlpGrpcSender.class);
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.UNAVAILABLE,
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.DATA_LOSS);

  private final URI endpoint;
  private final Compression compression;
  private final Map<String, Secret> headers;
  private final Duration timeout;
  private final TraceServiceStub stub;
  private final com.linecorp.armeria.client.ClientFactory ownedFactory;
  private final ThrottledLogger partialSuccessLog;

  OtlpGrpcSender(OtlpGrpcSenderBuilder b, TraceServiceStub stub) {
    this.ownedFactory = b.ownedFactory;
    this.endpoint = b.endpoint;
    this.compression = b.compression;
    this.headers = Map.copyOf(b.headers);
    this.timeout = b.timeout;
    this.stub = compression == Compression.GZIP ? stub.withCompression("gzip") : stub;
    this.partialSuccessLog = new ThrottledLogger(logger, b.clock, b.logInterval);
  }

  @Override
  public void close() {
    if (ownedFactory != null) {
      ownedFactory.closeAsync();
    }
  }

  public static OtlpGrpcSenderBuilder builder() {
    return new OtlpGrpcSenderBuilder();
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    final CompletableFuture<Void> result = new CompletableFuture<>();
    stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .export(
            batch.request(),
            new StreamObserver<>() {
              @Override
              public void onNext(ExportTraceServiceResponse response) {
                logPartialSuccess(response.getPartialSuccess(), batch.spanCount());
              }

              @Override
              public void onError(Throwable t) {
                result.completeExceptionally(classify(t));
              }

              @Override
              public void onCompleted() {
                result.complete(null);
              }
            });
    return result;
  }

  @Override
  public long maxRequestBytes() {
    return MAX_REQUEST_BYTES;
  }

  @Override
  public String toString() {
    final Map<String, String> shown = new TreeMap<>();
    headers.keySet().forEach(k -> shown.put(k, "[REDACTED]"));
    return "OtlpGrpcSender{endpoint="
        + endpoint
        + ", compression="
        + compression.yamlName()
        + ", timeout="
        + timeout
        + ", headers="
        + shown
        + '}';
  }

  private RuntimeException classify(Throwable t) {
    final Status status = Status.fromThrowable(t);
    final String what =
        "gRPC "
            + status.getCode()
            + " from "
            + endpoint
            + (status.getDescription() == null ? "" : ": " + cut(status.getDescription()));
    if (RETRYABLE.contains(status.getCode())) {
      return new RetryableExportException(what, retryDelay(t), t);
    }
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      final Duration delay = retryDelay(t);
      if (delay != null) {
        return new RetryableExportException(what, delay, t);
      }
      return new PermanentExportException(what + " (no RetryInfo: not retried)", t);
    }
    return new PermanentExportException(what, t);
  }

  /** The delay of a {@code google.rpc.RetryInfo} in the status details, or null. */
  static Duration retryDelay(Throwable t) {
    final com.google.rpc.Status details = StatusProto.fromThrowable(t);
    if (details == null) {
      return null;
    }
    for (Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          final com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          final Duration delay = Duration.ofSeconds(d.getSeconds(), d.getNanos());
          return delay.isNegative() ? Duration.ZERO : delay;
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private void logPartialSuccess(ExportTracePartialSuccess partial, int spans) {
    if (partial.getRejectedSpans() == 0 && partial.getErrorMessage().isEmpty()) {
      return;
    }
    final long suppressed = partialSuccessLog.tryLog();
    if (suppressed >= 0) {
      logger.warn(
          "{} accepted the batch partially: rejected {} of {} spans: {}{}",
          endpoint,
          partial.getRejectedSpans(),
          spans,
          partial.getErrorMessage(),
          ThrottledLogger.suppressedNote(suppressed));
    }
  }

  private static String cut(String s) {
    return PermanentExportException.cutBody(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
