package dev.genainormalizer.app.fault;

import static dev.genainormalizer.app.fault.Services.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.app.testing.ChildJvm;
import dev.genainormalizer.app.testing.ReservedPorts;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.GzipBombs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC decompression bomb of the issue against the service as operators run it: its own JVM
 * with the image's flags ({@code -XX:+ExitOnOutOfMemoryError}) but a third of the image's heap
 * ({@code -Xmx256m}), the default {@code memory_limit} (a quarter of it) and {@code
 * max_recv_msg_size_mib} (16). Eight 1 GiB bombs of {@code 0a 00} (about 1 MB each, gzipped) go in
 * parallel, each as one compressed gRPC frame, twice (cold, then warm): every one must be answered
 * RESOURCE_EXHAUSTED, and the service must stay up, with its heap and its memory budget bounded,
 * and take a valid export after. Prints what it measured.
 */
class GrpcDecompressionBombProcessTest {
  @RegisterExtension final ReservedPorts ports = new ReservedPorts();

  private static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final int BOMBS = 8;
  private static final int WAVES = 2;
  private static final long MIB = 1024 * 1024;

  /**
   * Heap used (live data and young garbage) once a collection has run after the bombs: the service
   * idles at 20–50 MiB, so keeping what the bombs were read into (8 × 16 MiB) would not pass.
   */
  private static final long SETTLED_HEAP = 96 * MIB;

  private static final String TOKEN = "bomb-test-token";

  /** 1 GiB of {@code 0a 00} (an empty resource_spans entry, repeated), gzipped as it is made. */
  private static final byte[] BOMB =
      GzipBombs.gzipRepeated(GzipBombs.EMPTY_RESOURCE_SPANS, 1L << 30);

  @TempDir Path dir;

  @Test
  void eightOneGibibyteBombsInParallel_eachResourceExhausted_heapBounded_serviceServesAfter()
      throws Exception {
    run("bombs", false);
  }

  @Test
  void withAuth_eightBombsWithAValidToken_eachResourceExhausted_heapBounded_serviceServesAfter()
      throws Exception {
    run("bombs-auth", true);
  }

  private void run(String name, boolean auth) throws Exception {
    assertThat(BOMB.length).as("the bomb on the wire").isBetween(500_000, 2_000_000);
    try (FaultSink sink = new FaultSink()) {
      final int grpc = ports.next();
      final int admin = ports.next();
      final TestConfig config =
          TestConfig.builder()
              .http(null)
              .grpc("127.0.0.1:" + grpc)
              .admin("127.0.0.1:" + admin)
              .exporter("otlphttp", "endpoint: " + sink.url())
              .service("shutdown_timeout: 2s");
      if (auth) {
        config.receiver("auth: { bearer_tokens: [\"" + TOKEN + "\"] }");
      }
      final Services.OwnProcess service =
          new Services.OwnProcess(dir, name, config.yaml(), ChildJvm.withHeap("256m"), admin);
      try {
        service.awaitReady();
        final double memoryLimit = gauge(service.metrics(), "genai_normalizer_memory_limit_bytes");
        final double heapBefore = ProcessFaultTest.heapUsed(service.metrics());

        // the heap and the memory budget, sampled while the bombs are in flight
        final AtomicBoolean sampling = new AtomicBoolean(true);
        final double[] peaks = new double[2];
        final Thread sampler =
            new Thread(
                () -> {
                  while (sampling.get()) {
                    try {
                      final String metrics = service.metrics();
                      peaks[0] = Math.max(peaks[0], ProcessFaultTest.heapUsed(metrics));
                      peaks[1] =
                          Math.max(peaks[1], gauge(metrics, "genai_normalizer_memory_used_bytes"));
                    } catch (AssertionError e) {
                      return; // the service is gone: the assertions below say so
                    }
                    Services.sleep(Duration.ofMillis(50));
                  }
                },
                "heap-sampler");
        sampler.start();

        // two waves: the first on a cold JVM, the second once it is warm
        final long[] waveMillis = new long[WAVES];
        for (int wave = 0; wave < WAVES; wave++) {
          final long start = System.nanoTime();
          final List<CompletableFuture<AggregatedHttpResponse>> answers = new ArrayList<>();
          final List<ClientFactory> factories = new ArrayList<>();
          for (int i = 0; i < BOMBS; i++) {
            // one connection each, as separate clients would
            final ClientFactory factory = ClientFactory.builder().build();
            factories.add(factory);
            answers.add(call(factory, grpc, auth, true, frame(true, BOMB)));
          }
          CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
              .handle((v, e) -> null)
              .get(180, TimeUnit.SECONDS);
          waveMillis[wave] = (System.nanoTime() - start) / 1_000_000;
          factories.forEach(ClientFactory::close);

          assertThat(service.process.isAlive())
              .as("alive after the bombs; stderr: " + service.stderr())
              .isTrue();
          for (CompletableFuture<AggregatedHttpResponse> answer : answers) {
            final AggregatedHttpResponse res = answer.join();
            assertThat(grpcStatus(res)).as("grpc-status of a bomb").isEqualTo("8");
            assertThat(header(res, "grpc-message")).contains("max_recv_msg_size_mib (16 MiB");
          }
        }
        sampling.set(false);
        sampler.join(TimeUnit.SECONDS.toMillis(30));

        // valid exports right after; they also keep allocating until a collection shows what the
        // bombs left on the heap (heap used between collections is mostly garbage)
        final long[] exports = {0};
        final double[] settledHeap = {Double.MAX_VALUE};
        try (ClientFactory factory = ClientFactory.builder().build()) {
          await(
              Duration.ofSeconds(120),
              () -> {
                final byte[] message =
                    Load.request(1 + exports[0] * 100, exports[0] == 0 ? 1 : 100, 2048)
                        .toByteArray();
                final AggregatedHttpResponse ok =
                    call(factory, grpc, auth, false, frame(false, message)).join();
                assertThat(grpcStatus(ok)).as("a valid export after the bombs").isEqualTo("0");
                exports[0]++;
                settledHeap[0] = ProcessFaultTest.heapUsed(service.metrics());
                return settledHeap[0] <= SETTLED_HEAP;
              },
              "heap used at most " + SETTLED_HEAP / MIB + " MiB after a collection");
        }
        await(
            Duration.ofSeconds(60),
            () -> sink.delivered() > 0,
            "the valid exports' spans at the backend");
        await(
            Duration.ofSeconds(60),
            () -> gauge(service.metrics(), "genai_normalizer_memory_used_bytes") == 0,
            "genai_normalizer_memory_used_bytes back to 0");
        System.out.printf(
            "grpc gzip bombs (%s): bombs=%d x %d bytes on the wire (1 GiB of 0a 00 each), -Xmx256m,"
                + " memory_limit_bytes=%.0f, all RESOURCE_EXHAUSTED, all 8 answered in ms: cold=%d warm=%d,"
                + " heap_used_mib before=%.0f peak_sampled=%.0f settled=%.0f (after %d exports),"
                + " memory_used_bytes peak_sampled=%.0f%n",
            auth ? "auth on, valid token" : "no auth",
            BOMBS,
            BOMB.length,
            memoryLimit,
            waveMillis[0],
            waveMillis[1],
            heapBefore / MIB,
            peaks[0] / MIB,
            settledHeap[0] / MIB,
            exports[0],
            peaks[1]);
        // what the receiver held stayed within the budget (one message may pass an idle service)
        assertThat(peaks[1])
            .as("genai_normalizer_memory_used_bytes while the bombs were read")
            .isLessThanOrEqualTo(Math.max(memoryLimit, 16 * MIB + 1));

        service.process.destroy();
        assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.process.exitValue())
            .as("exit code (3 would be an OOM); stderr: " + service.stderr())
            .isZero();
        assertThat(service.stderr()).doesNotContain("OutOfMemoryError");
      } finally {
        service.process.destroyForcibly();
      }
    }
  }

  private static CompletableFuture<AggregatedHttpResponse> call(
      ClientFactory factory, int port, boolean auth, boolean gzip, byte[] body) {
    final RequestHeadersBuilder headers =
        RequestHeaders.builder(HttpMethod.POST, PATH)
            .contentType(MediaType.parse("application/grpc"))
            .set("te", "trailers");
    if (gzip) {
      headers.set("grpc-encoding", "gzip");
    }
    if (auth) {
      headers.set("authorization", "Bearer " + TOKEN);
    }
    return WebClient.builder("h2c://127.0.0.1:" + port)
        .factory(factory)
        .responseTimeout(Duration.ofSeconds(120))
        .build()
        .execute(headers.build(), HttpData.wrap(body))
        .aggregate();
  }

  private static byte[] frame(boolean compressed, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) (compressed ? 1 : 0))
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  private static String grpcStatus(AggregatedHttpResponse res) {
    return header(res, "grpc-status");
  }

  /** gRPC puts the status in the trailers, or in the headers of a trailers-only answer. */
  private static String header(AggregatedHttpResponse res, String name) {
    final String inTrailers = res.trailers().get(name);
    return inTrailers != null ? inTrailers : res.headers().get(name);
  }

  private static double gauge(String metrics, String name) {
    return Double.parseDouble(ProcessFaultTest.gauge(metrics, name));
  }
}
