package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.ReceiverSettings;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the OTLP/HTTP endpoint with mutations of the Kong fixtures, in protobuf and
 * JSON, sometimes compressed: every answer must be 200, 400, 413 or 415 (never a 5xx, never a
 * hang). The CI run is {@value #DEFAULT_ITERATIONS} requests; a long run is
 *
 * <pre>
 * mvn -B -o -pl receiver test -Dtest=OtlpFuzzTest -Dfuzz.iterations=200000 -Dfuzz.seed=$RANDOM
 * </pre>
 *
 * A failure names the seed and iteration and prints the body, so it replays exactly.
 */
class OtlpFuzzTest {
  static final int DEFAULT_ITERATIONS = 3000;
  static final long DEFAULT_SEED = 20261125L;
  private static final Set<Integer> ALLOWED = Set.of(200, 400, 413, 415);

  /** Small limits, so that over-limit bodies are cheap to produce and the 413 path is hit too. */
  private static final int MAX_BODY = 256 * 1024;

  private static final int IN_FLIGHT = 8;

  private static Receiver receiver;
  private static WebClient client;
  private static final AtomicLong consumed = new AtomicLong();
  private static final List<byte[]> PROTOBUF_SEEDS = new ArrayList<>();
  private static final List<byte[]> JSON_SEEDS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    final OtlpReceiverConfig config =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                new OtlpReceiverConfig.GrpcConfig(false, "127.0.0.1:0", 1),
                new OtlpReceiverConfig.HttpConfig(true, "127.0.0.1:0", "/v1/traces", MAX_BODY)),
            new ReceiverLimits(1000, 64, dev.genainormalizer.config.ByteSize.ofBytes(64 * 1024), 8),
            null,
            null);
    receiver =
        new OtlpReceiverFactory()
            .create(
                config,
                new ReceiverSettings(
                    ComponentId.parse("otlp/fuzz"),
                    batch -> {
                      consumed.incrementAndGet();
                      // walk what was decoded, as a processor would
                      batch.request().getSerializedSize();
                      return ConsumeResult.ACCEPTED;
                    },
                    new SimpleMeterRegistry(),
                    MemoryBudget.unlimited()));
    receiver.start().get(30, TimeUnit.SECONDS);
    client =
        WebClient.builder("http://127.0.0.1:" + receiver.boundAddresses().get("http").getPort())
            .responseTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .maxResponseLength(0)
            .build();
    for (String name : TestTraces.KONG_FIXTURES) {
      final ExportTraceServiceRequest request = TestTraces.fixture(name);
      PROTOBUF_SEEDS.add(request.toByteArray());
      JSON_SEEDS.add(TestTraces.fixtureBytes(name));
      JSON_SEEDS.add(OtlpJson.printTraces(request).getBytes(StandardCharsets.UTF_8));
    }
    PROTOBUF_SEEDS.add(DeepProtobuf.nestedArrays(3));
  }

  @AfterAll
  static void stop() {
    receiver.stop().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void mutatedBodiesNeverGetA5xxOrHang() {
    final int iterations = Integer.getInteger("fuzz.iterations", DEFAULT_ITERATIONS);
    final long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    final Random random = new Random(seed);
    final int[] byStatus = new int[600];
    final List<CompletableFuture<String>> window = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      final FuzzCase c = nextCase(random, i);
      window.add(
          send(c)
              .handle(
                  (res, e) -> {
                    if (e != null) {
                      return c.describe("no answer: " + e);
                    }
                    final int status = res.status().code();
                    synchronized (byStatus) {
                      byStatus[status]++;
                    }
                    return ALLOWED.contains(status)
                        ? null
                        : c.describe("status " + status + ": " + res.contentUtf8());
                  }));
      if (window.size() == IN_FLIGHT || i == iterations - 1) {
        for (CompletableFuture<String> f : window) {
          // the response timeout bounds each wait: a hung request fails the test
          final String failure = f.join();
          if (failure != null && failures.size() < 5) {
            failures.add(failure);
          }
        }
        window.clear();
      }
    }
    System.out.printf(
        "fuzz: seed=%d iterations=%d 200=%d 400=%d 413=%d 415=%d consumed=%d%n",
        seed,
        iterations,
        byStatus[200],
        byStatus[400],
        byStatus[413],
        byStatus[415],
        consumed.get());
    assertThat(failures).as("seed " + seed).isEmpty();
    // the mutations must reach the decoder and the pipelines, not only the error paths
    assertThat(byStatus[200]).isPositive();
    assertThat(byStatus[400]).isPositive();
  }

  /** One request: body, content type and coding, and how it was made. */
  record FuzzCase(
      int iteration, String how, byte[] body, String contentType, String contentEncoding) {
    String describe(String outcome) {
      final byte[] head = Arrays.copyOf(body, Math.min(body.length, 256));
      return "iteration "
          + iteration
          + " ("
          + how
          + ", "
          + contentType
          + ", "
          + contentEncoding
          + ", "
          + body.length
          + " bytes): "
          + outcome
          + "; body starts "
          + HexFormat.of().formatHex(head);
    }
  }

  private static CompletableFuture<AggregatedHttpResponse> send(FuzzCase c) {
    final RequestHeadersBuilder h =
        RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
            .set(HttpHeaderNames.CONTENT_TYPE, c.contentType());
    if (c.contentEncoding() != null) {
      h.set(HttpHeaderNames.CONTENT_ENCODING, c.contentEncoding());
    }
    return client
        .execute(HttpRequest.of(h.build(), com.linecorp.armeria.common.HttpData.wrap(c.body())))
        .aggregate();
  }

  private static FuzzCase nextCase(Random r, int iteration) {
    final boolean json = r.nextBoolean();
    final List<byte[]> seeds = json ? JSON_SEEDS : PROTOBUF_SEEDS;
    byte[] body = seeds.get(r.nextInt(seeds.size()));
    final StringBuilder how = new StringBuilder();
    // mostly one mutation, so that many bodies stay close to valid and reach the pipelines
    final int mutations = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1;
    for (int m = 0; m < mutations; m++) {
      body = mutate(r, body, json, seeds, how);
    }
    if (r.nextInt(50) == 0) {
      // past max_request_body_size once decoded; compressed below, it fits on the wire
      how.append(" oversize");
      final byte[] padding = new byte[MAX_BODY + 1];
      Arrays.fill(padding, (byte) ' ');
      body = insert(body, body.length, padding);
    }
    String contentType = json ? "application/json" : "application/x-protobuf";
    final int t = r.nextInt(40);
    if (t == 0) {
      contentType = json ? "application/x-protobuf" : "application/json";
    } else if (t == 1) {
      contentType = "text/plain";
    } else if (t == 2) {
      contentType = "application/json; charset=utf-8";
    }
    String encoding = null;
    final int e = how.toString().endsWith("oversize") ? r.nextInt(2) : r.nextInt(10);
    if (e < 2) {
      body = Compression.gzip(body);
      encoding = "gzip";
      if (r.nextInt(4) == 0) {
        body = flip(r, body);
        how.append(" corrupt-gzip");
      }
    } else if (e == 2) {
      body = Compression.zlib(body);
      encoding = "deflate";
    } else if (e == 3 && r.nextInt(5) == 0) {
      encoding = r.nextBoolean() ? "br" : "gzip";
      how.append(" mislabelled-encoding");
    }
    return new FuzzCase(iteration, how.toString().trim(), body, contentType, encoding);
  }

  private static byte[] mutate(
      Random r, byte[] in, boolean json, List<byte[]> seeds, StringBuilder how) {
    final int kind = r.nextInt(json ? 11 : 9);
    switch (kind) {
      case 0 -> {
        how.append(" flip");
        return flip(r, in);
      }
      case 1 -> {
        how.append(" truncate");
        return Arrays.copyOf(in, in.length == 0 ? 0 : r.nextInt(in.length));
      }
      case 2 -> {
        how.append(" splice");
        final byte[] other = seeds.get(r.nextInt(seeds.size()));
        final int a = in.length == 0 ? 0 : r.nextInt(in.length);
        final int b = other.length == 0 ? 0 : r.nextInt(other.length);
        final byte[] out = Arrays.copyOf(in, a + other.length - b);
        System.arraycopy(other, b, out, a, other.length - b);
        return out;
      }
      case 3 -> {
        how.append(" random-bytes");
        final byte[] noise = new byte[r.nextInt(64) + 1];
        r.nextBytes(noise);
        return insert(in, r.nextInt(in.length + 1), noise);
      }
      case 4 -> {
        how.append(" huge-varint");
        final byte[] varint = new byte[1 + r.nextInt(11)];
        Arrays.fill(varint, (byte) 0xFF);
        varint[varint.length - 1] = (byte) r.nextInt(0x80);
        return insert(in, r.nextInt(in.length + 1), varint);
      }
      case 5 -> {
        how.append(" duplicate");
        if (in.length < 2) {
          return in;
        }
        final int a = r.nextInt(in.length);
        final int len = Math.min(in.length - a, 1 + r.nextInt(4096));
        return insert(in, r.nextInt(in.length + 1), Arrays.copyOfRange(in, a, a + len));
      }
      case 6 -> {
        how.append(" random-length");
        final byte[] out = new byte[r.nextInt(2048)];
        r.nextBytes(out);
        return out;
      }
      case 7 -> {
        how.append(" set-byte");
        if (in.length == 0) {
          return in;
        }
        final byte[] out = in.clone();
        final byte[] interesting = {
          0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x0a, 0x12, 0x22, '"', '{'
        };
        out[r.nextInt(out.length)] = interesting[r.nextInt(interesting.length)];
        return out;
      }
      case 8 -> {
        how.append(" deep-nesting");
        if (json) {
          final int n = 1 + r.nextInt(5000);
          final String deep = "[".repeat(n) + "1" + "]".repeat(n);
          return insert(in, r.nextInt(in.length + 1), deep.getBytes(StandardCharsets.UTF_8));
        }
        return DeepProtobuf.nestedArrays(1 + r.nextInt(3000));
      }
      case 9 -> {
        how.append(" json-value");
        final String[] values = {
          "1e999999",
          "-0",
          "null",
          "\"\"",
          "[]",
          "{}",
          "true",
          "\"ZZZZ\"",
          "18446744073709551616",
          "\"\\ud800\"",
          "1.5",
          "\"0x1\"",
          "{\"arrayValue\":{\"values\":[{\"kvlistValue\":{}}]}}"
        };
        return replaceAfterColon(r, in, values[r.nextInt(values.length)]);
      }
      default -> {
        how.append(" json-key");
        final String[] keys = {
          "\"traceId\":",
          "\"spanId\":",
          "\"kind\":",
          "\"intValue\":",
          "\"startTimeUnixNano\":",
          "\"bytesValue\":",
          "\"droppedAttributesCount\":",
          "\"resourceSpans\":",
          "\"@type\":"
        };
        final String insert = "{" + keys[r.nextInt(keys.length)] + "\"" + r.nextInt() + "\"},";
        return insert(in, r.nextInt(in.length + 1), insert.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static byte[] flip(Random r, byte[] in) {
    if (in.length == 0) {
      return in;
    }
    final byte[] out = in.clone();
    final int flips = 1 + r.nextInt(8);
    for (int i = 0; i < flips; i++) {
      final int at = r.nextInt(out.length);
      out[at] = (byte) (out[at] ^ (1 << r.nextInt(8)));
    }
    return out;
  }

  private static byte[] insert(byte[] in, int at, byte[] what) {
    final byte[] out = new byte[in.length + what.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(in, at, out, at + what.length, in.length - at);
    return out;
  }

  /** Replaces the value after a random {@code ":"} up to the next {@code ,} or {@code }}. */
  private static byte[] replaceAfterColon(Random r, byte[] in, String value) {
    final String text = new String(in, StandardCharsets.ISO_8859_1);
    final int from = text.isEmpty() ? 0 : r.nextInt(text.length());
    final int colon = text.indexOf(':', from);
    if (colon < 0) {
      return in;
    }
    int end = colon + 1;
    while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != '}') {
      end++;
    }
    return (text.substring(0, colon + 1) + value + text.substring(end))
        .getBytes(StandardCharsets.ISO_8859_1);
  }
}
