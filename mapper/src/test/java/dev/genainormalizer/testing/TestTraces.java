package dev.genainormalizer.testing;

import dev.genainormalizer.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Test fixtures shared by every module's tests (through the mapper test-jar). */
public final class TestTraces {
  /** The Kong 3.13 fixtures, copied from the project's reference material. */
  public static final List<String> KONG_FIXTURES =
      List.of("kong-3.13-chat.json", "kong-3.13-traceparent.json", "kong-3.13-upstream-500.json");

  private TestTraces() {}

  /** For {@code @MethodSource}: the fixture names. */
  public static List<String> kongFixtureNames() {
    return KONG_FIXTURES;
  }

  /** The raw bytes of a resource under {@code /fixtures/}. */
  public static byte[] fixtureBytes(String name) {
    try (InputStream in = TestTraces.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture /fixtures/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture parsed from OTLP/JSON. */
  public static ExportTraceServiceRequest fixture(String name) {
    try {
      return OtlpJson.parseTraces(fixtureBytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
