package dev.genainormalizer.bench;

import com.google.protobuf.CodedInputStream;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.encoding.DecodingService;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A trivial OTLP/HTTP protobuf sink: counts each request's spans (without decoding them), answers
 * 200. {@code GET /count} answers the spans received so far, so a sink in another process can be
 * read.
 *
 * <p>As its own process: {@code java -cp bench/target/genai-normalizer-bench.jar
 * dev.genainormalizer.bench.Sink [port]} prints {@code sink listening on <port>} and runs until
 * killed.
 */
public final class Sink implements AutoCloseable {
  // tags of length-delimited fields 1 and 2: (field << 3) | wire type 2
  private static final int LEN_FIELD_1 = (1 << 3) | 2;
  private static final int LEN_FIELD_2 = (2 << 3) | 2;
  private static final byte[] OK = ExportTraceServiceResponse.getDefaultInstance().toByteArray();

  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final Server server;

  private Sink(int port) {
    server =
        Server.builder()
            .http(port)
            .maxRequestLength(64 * 1024 * 1024)
            .service(
                "/v1/traces",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                agg -> {
                                  try {
                                    spans.addAndGet(countSpans(agg.content().array()));
                                    requests.incrementAndGet();
                                    return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF, OK);
                                  } catch (IOException e) {
                                    return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                  }
                                })))
            .service("/count", (ctx, req) -> HttpResponse.of(spans.get() + " " + requests.get()))
            .decorator(DecodingService.newDecorator()) // for exporters with compression: gzip
            .build();
  }

  /**
   * Counts the spans of an encoded ExportTraceServiceRequest without decoding them: a sink that
   * parsed every span would cost about as much CPU as the exporter it measures.
   */
  static int countSpans(byte[] request) throws IOException {
    final CodedInputStream in = CodedInputStream.newInstance(request);
    int spans = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != LEN_FIELD_1) { // resource_spans
        in.skipField(tag);
        continue;
      }
      final int resourceEnd = in.pushLimit(in.readRawVarint32());
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t != LEN_FIELD_2) { // scope_spans
          in.skipField(t);
          continue;
        }
        final int scopeEnd = in.pushLimit(in.readRawVarint32());
        for (int u = in.readTag(); u != 0; u = in.readTag()) {
          if (u == LEN_FIELD_2) { // spans
            spans++;
          }
          in.skipField(u);
        }
        in.popLimit(scopeEnd);
      }
      in.popLimit(resourceEnd);
    }
    return spans;
  }

  static Sink start(int port) {
    final Sink sink = new Sink(port);
    sink.server.start().join();
    return sink;
  }

  int port() {
    return server.activeLocalPort();
  }

  long spans() {
    return spans.get();
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop().join();
  }

  public static void main(String[] args) throws InterruptedException {
    final Sink sink = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    System.out.println("sink listening on " + sink.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
