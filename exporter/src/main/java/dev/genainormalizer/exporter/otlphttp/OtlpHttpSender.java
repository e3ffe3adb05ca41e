package dev.genainormalizer.exporter.otlphttp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.HttpStatusPolicy;
import dev.genainormalizer.exporter.helper.PermanentExportException;
import dev.genainormalizer.exporter.helper.RetryAfter;
import dev.genainormalizer.exporter.helper.RetryableExportException;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.TraceBatch;
import io.micrometer.core.instrument.Clock;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch once as an OTLP/HTTP POST (protobuf or JSON, optionally gzipped) on its own Armeria
 * {@link WebClient}, and classifies the answer: 2xx success (a {@code partial_success} is logged),
 * statuses of the {@link HttpStatusPolicy} and transport failures retryable with the server's
 * {@code Retry-After}, every other status permanent.
 */
public final class OtlpHttpSender implements TraceSender {
  /**
   * The largest request batching builds for an OTLP/HTTP backend: under the Collector's default
   * {@code max_request_body_size} (20 MiB) and the 16 MB over which Langfuse starts to warn.
   */
  public static final long MAX_REQUEST_BYTES = 16L << 20;

  private static final Logger logger = LoggerFactory.getLogger(OtlpHttpSender.class);
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
  private static final JsonFormat.Parser RESPONSE_PARSER =
      JsonFormat.parser().ignoringUnknownFields();

  /** The endpoint as every message and log line shows it: credentials in its query masked. */
  private final String shownEndpoint;

  private final String pathAndQuery;
  private final Encoding encoding;
  private final Compression compression;
  private final Map<String, Secret> headers;
  private final Duration timeout;
  private final HttpStatusPolicy statusPolicy;
  private final Clock clock;
  private final WebClient client;
  private final com.linecorp.armeria.client.ClientFactory ownedFactory;
  private final ThrottledLogger partialSuccessLog;

  OtlpHttpSender(OtlpHttpSenderBuilder b, WebClient client) {
    this.ownedFactory = b.ownedFactory;
    this.shownEndpoint = Redaction.url(b.endpoint.toString());
    final String query = b.endpoint.getRawQuery();
    final String path =
        b.endpoint.getRawPath() == null || b.endpoint.getRawPath().isEmpty()
            ? "/"
            : b.endpoint.getRawPath();
    this.pathAndQuery = query == null ? path : path + '?' + query;
    this.encoding = b.encoding;
    this.compression = b.compression;
    this.headers = Map.copyOf(b.headers);
    this.timeout = b.timeout;
    this.statusPolicy = b.statusPolicy;
    this.clock = b.clock;
    this.client = client;
    this.partialSuccessLog = new ThrottledLogger(logger, clock, b.logInterval);
  }

  @Override
  public void close() {
    if (ownedFactory != null) {
      ownedFactory.closeAsync();
    }
  }

  public static OtlpHttpSenderBuilder builder() {
    return new OtlpHttpSenderBuilder();
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    final byte[] body =
        encoding == Encoding.PROTO
            ? batch.request().toByteArray()
            : OtlpJson.printTraces(batch.request()).getBytes(StandardCharsets.UTF_8);
    final RequestHeadersBuilder h =
        RequestHeaders.builder(HttpMethod.POST, pathAndQuery)
            .contentType(encoding == Encoding.PROTO ? PROTOBUF : MediaType.JSON);
    final byte[] wire;
    if (compression == Compression.GZIP) {
      wire = Compression.gzip(body);
      h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
    } else {
      wire = body;
    }
    headers.forEach((name, value) -> h.set(name, value.value()));
    final CompletableFuture<Void> result = new CompletableFuture<>();
    client
        .execute(h.build(), HttpData.wrap(wire))
        .aggregate()
        .whenComplete(
            (res, error) -> {
              if (error != null) {
                result.completeExceptionally(
                    new RetryableExportException(
                        Redaction.urlsIn("POST " + shownEndpoint + " failed: " + describe(error)),
                        null,
                        error));
                return;
              }
              try {
                classify(res, batch.spanCount());
                result.complete(null);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
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
    return "OtlpHttpSender{endpoint="
        + shownEndpoint
        + ", encoding="
        + encoding.yamlName()
        + ", compression="
        + compression.yamlName()
        + ", timeout="
        + timeout
        + ", headers="
        + shown
        + '}';
  }

  private void classify(AggregatedHttpResponse res, int spans) {
    final int status = res.status().code();
    if (statusPolicy.isSuccess(status)) {
      logPartialSuccess(res, spans);
      return;
    }
    final String what =
        Redaction.urlsIn("HTTP " + res.status() + " from " + shownEndpoint + ": " + errorText(res));
    if (statusPolicy.isRetryable(status)) {
      final Instant now = Instant.ofEpochMilli(clock.wallTime());
      throw new RetryableExportException(
          what, RetryAfter.parse(res.headers().get(HttpHeaderNames.RETRY_AFTER), now).orElse(null));
    }
    throw new PermanentExportException(what);
  }

  private void logPartialSuccess(AggregatedHttpResponse res, int spans) {
    if (res.content().isEmpty()) {
      return;
    }
    final ExportTracePartialSuccess partial;
    try {
      partial = parseResponse(res).getPartialSuccess();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      logger.debug("{}: unreadable success response ignored", shownEndpoint, e);
      return;
    }
    if (partial.getRejectedSpans() == 0 && partial.getErrorMessage().isEmpty()) {
      return;
    }
    final long suppressed = partialSuccessLog.tryLog();
    if (suppressed >= 0) {
      logger.warn(
          "{} accepted the batch partially: rejected {} of {} spans: {}{}",
          shownEndpoint,
          partial.getRejectedSpans(),
          spans,
          partial.getErrorMessage(),
          ThrottledLogger.suppressedNote(suppressed));
    }
  }

  private static ExportTraceServiceResponse parseResponse(AggregatedHttpResponse res)
      throws InvalidProtocolBufferException {
    final MediaType type = res.contentType();
    if (type != null && type.isJson()) {
      final ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      RESPONSE_PARSER.merge(res.contentUtf8(), b);
      return b.build();
    }
    return ExportTraceServiceResponse.parseFrom(res.content().array());
  }

  // OTLP servers answer errors with a google.rpc.Status; show its message rather than raw bytes.
  private static String errorText(AggregatedHttpResponse res) {
    final byte[] body = res.content().array();
    final MediaType type = res.contentType();
    if (body.length > 0 && type != null && type.is(PROTOBUF)) {
      try {
        final com.google.rpc.Status status = com.google.rpc.Status.parseFrom(body);
        if (!status.getMessage().isEmpty()) {
          return PermanentExportException.cutBody(
              status.getMessage().getBytes(StandardCharsets.UTF_8));
        }
      } catch (InvalidProtocolBufferException e) {
        // not a Status after all: quote the bytes
      }
    }
    return body.length == 0 ? "(empty body)" : PermanentExportException.cutBody(body);
  }

  private static String describe(Throwable e) {
    final Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
