package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service killed with SIGKILL while the {@code kong} processor holds acknowledged spans (the
 * first part of Kong traces split across exports, waiting for the rest): with a disk queue, the
 * pipeline's journal brings them back after a restart. Prints what it measured.
 */
class HeldSpansFaultTest {
  private static final ChildJvm JVM = ChildJvm.withHeap("256m").quickStart();
  private static final int TRACES = 50;
  private static final String GEN_AI_SPAN = "kong.gen_ai";

  @TempDir Path dir;
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private String config(int httpPort, int adminPort, String sinkUrl, String traceWait) {
    return TestConfig.builder()
        .http("127.0.0.1:" + httpPort)
        .admin("127.0.0.1:" + adminPort)
        .processor("kong", "trace_wait: " + traceWait)
        .exporter(
            "otlphttp",
            "endpoint: " + sinkUrl,
            "retry_on_failure: { initial_interval: 100ms, max_interval: 1s }",
            "sending_queue: { storage: disk, directory: '"
                + dir.resolve("queue")
                + "', fsync: batch }")
        .service("shutdown_timeout: 2s")
        .yaml();
  }

  @Test
  void killedWithSigkillWhileSpansAreHeld_theyArriveAfterARestart() throws Exception {
    final ExportTraceServiceRequest part1 = TestTraces.fixture("kong/chat-part1-of-2.json");
    try (FaultSink sink = new FaultSink()) {
      final int http1 = ports.next();
      final int admin1 = ports.next();
      final Services.OwnProcess first =
          new Services.OwnProcess(
              dir, "first", config(http1, admin1, sink.url(), "10m"), JVM, admin1);
      final List<Long> genAiSpans = new ArrayList<>();
      try {
        first.awaitReady();
        final WebClient client = WebClient.of("http://127.0.0.1:" + http1);
        for (int t = 1; t <= TRACES; t++) {
          final ExportTraceServiceRequest request = renumbered(part1, t, genAiSpans);
          final int status =
              client
                  .execute(
                      RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                          .contentType(MediaType.PROTOBUF)
                          .build(),
                      HttpData.wrap(request.toByteArray()))
                  .aggregate()
                  .join()
                  .status()
                  .code();
          assertThat(status).as("trace " + t).isEqualTo(200);
        }
        try (var files =
            java.nio.file.Files.list(dir.resolve("queue").resolve("pipeline-traces"))) {
          assertThat(files.map(Path::toString))
              .as("the pipeline's journal")
              .anyMatch(f -> f.endsWith(".seg"));
        }
        assertThat(sink.delivered())
            .as("the Gen AI spans wait for the rest of their traces")
            .isZero();
        assertThat(first.metrics())
            .contains(
                "genai_normalizer_pipeline_journal_requests{pipeline=\"traces\"} " + TRACES + ".0");
      } finally {
        first.process.destroyForcibly(); // SIGKILL while every Gen AI span is held
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }

      final int http2 = ports.next();
      final int admin2 = ports.next();
      final Services.OwnProcess second =
          new Services.OwnProcess(
              dir, "second", config(http2, admin2, sink.url(), "1s"), JVM, admin2);
      try {
        second.awaitReady();
        await(
            Duration.ofSeconds(60),
            () -> sink.hasAll(genAiSpans),
            "every held Gen AI span after the restart");
        System.out.println(
            "SIGKILL while the kong processor holds spans, restart: traces="
                + TRACES
                + ", acknowledged_held="
                + genAiSpans.size()
                + ", delivered="
                + sink.delivered()
                + ", duplicates="
                + sink.duplicates());
        assertThat(sink.missing(genAiSpans)).isZero();
        second.process.destroy();
        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).as(second.stderr()).isZero();
      } finally {
        second.process.destroyForcibly();
      }
    }
  }

  /**
   * The fixture as trace {@code t}: its own trace id and span ids; remembers its Gen AI span's id.
   */
  private static ExportTraceServiceRequest renumbered(
      ExportTraceServiceRequest fixture, int t, List<Long> genAi) {
    final ByteString traceId =
        ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, 0x7000L + t).array());
    final Map<ByteString, ByteString> ids = new HashMap<>();
    final ExportTraceServiceRequest.Builder out = fixture.toBuilder();
    long next = t * 100L;
    for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          final long id = ++next;
          ids.put(
              span.getSpanId(), ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()));
          if (span.getName().equals(GEN_AI_SPAN)) {
            genAi.add(id);
          }
        }
      }
    }
    for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          span.setTraceId(traceId).setSpanId(ids.get(span.getSpanId()));
          if (!span.getParentSpanId().isEmpty()) {
            span.setParentSpanId(ids.getOrDefault(span.getParentSpanId(), span.getParentSpanId()));
          }
        }
      }
    }
    return out.build();
  }
}
