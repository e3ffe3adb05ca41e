package dev.genainormalizer.exporter.testing;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Named;

/**
 * The HTTP front end of a {@link TestCollector}: decodes an OTLP/HTTP request (protobuf or JSON,
 * gzip or not), records it and answers as the collector says. Mount it on the path under test.
 */
public final class HttpBackend {
  public static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private HttpBackend() {}

  /** The statuses OTLP/HTTP says to retry. */
  public static List<Named<Answer>> retryableAnswers() {
    return Stream.of(429, 502, 503, 504).map(s -> Named.of("HTTP " + s, Answer.http(s))).toList();
  }

  /** Statuses that drop the data at once. */
  public static List<Named<Answer>> permanentAnswers() {
    return Stream.of(400, 401, 403, 404, 500, 501)
        .map(s -> Named.of("HTTP " + s, Answer.http(s)))
        .toList();
  }

  /** 429 with {@code Retry-After}. */
  public static Answer throttled(Duration delay) {
    return Answer.http(429).retryAfter(delay);
  }

  /** A server answering on each of {@code paths} only; register it as a static extension. */
  public static ServerExtension server(TestCollector collector, String... paths) {
    return new ServerExtension() {
      @Override
      protected void configure(ServerBuilder sb) {
        sb.requestTimeout(Duration.ZERO); // answers held by a test must not time out on their own
        for (String path : paths) {
          sb.service(path, service(collector));
        }
      }
    };
  }

  public static HttpService service(TestCollector collector) {
    return (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(r -> serve(collector, r)));
  }

  private static HttpResponse serve(TestCollector collector, AggregatedHttpRequest req) {
    final Answer answer = collector.arrived(req.headers(), decode(req));
    final boolean json = req.contentType() != null && req.contentType().isJson();
    final ResponseHeadersBuilder headers =
        ResponseHeaders.builder(HttpStatus.valueOf(answer.httpStatus()));
    final byte[] body;
    if (answer.httpStatus() == 200) {
      final ExportTraceServiceResponse response;
      try {
        response =
            answer.body() == null
                ? ExportTraceServiceResponse.getDefaultInstance()
                : ExportTraceServiceResponse.parseFrom(answer.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      headers.contentType(json ? MediaType.JSON : PROTOBUF);
      body =
          json ? OtlpJson.print(response).getBytes(StandardCharsets.UTF_8) : response.toByteArray();
    } else {
      headers.contentType(MediaType.PLAIN_TEXT_UTF_8);
      body = answer.body() == null ? new byte[0] : answer.body();
    }
    if (answer.retryAfter() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(answer.retryAfter().toSeconds()));
    }
    if (answer.retryAfterHeader() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, answer.retryAfterHeader());
    }
    HttpResponse res = HttpResponse.of(headers.build(), HttpData.wrap(body));
    if (!answer.delay().isZero()) {
      res = HttpResponse.delayed(res, answer.delay());
    }
    if (answer.hold() != null) {
      final HttpResponse held = res;
      res = HttpResponse.of(answer.hold().thenApply(v -> held));
    }
    return res;
  }

  private static ExportTraceServiceRequest decode(AggregatedHttpRequest req) {
    try {
      byte[] body = req.content().array();
      if ("gzip".equals(req.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      if (req.contentType() != null && req.contentType().isJson()) {
        return OtlpJson.parseTraces(body);
      }
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
