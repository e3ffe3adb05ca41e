package dev.genainormalizer.exporter.otlp;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.TlsClients;
import io.micrometer.core.instrument.Clock;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceStub;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Builds an {@link OtlpGrpcSender}; {@link #endpoint} is required, the rest have defaults. */
public final class OtlpGrpcSenderBuilder {
  /** Per-attempt deadline unless set: {@code 5s}, as the Collector's {@code otlp} exporter. */
  public static final Duration DEFAULT_TIMEOUT = OtlpExporterConfig.DEFAULT_TIMEOUT;

  /** Responses larger than this are refused; an OTLP answer is a few bytes. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  URI endpoint;
  Compression compression = Compression.GZIP;
  final Map<String, Secret> headers = new LinkedHashMap<>();
  Duration timeout = DEFAULT_TIMEOUT;
  Clock clock = Clock.SYSTEM;
  Duration logInterval = Duration.ofSeconds(10);
  private ClientFactory clientFactory = ClientFactory.ofDefault();
  private TlsClientConfig tls = TlsClientConfig.defaults();

  /** The factory the sender built for {@link #tls} and closes with itself; null when shared. */
  ClientFactory ownedFactory;

  OtlpGrpcSenderBuilder() {}

  /**
   * {@code host:port} or {@code http://host:port} for plaintext, {@code https://host:port} for TLS.
   */
  public OtlpGrpcSenderBuilder endpoint(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    try {
      this.endpoint = GrpcEndpoint.parse(endpoint.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: " + e.getMessage(), e);
    }
    return this;
  }

  public OtlpGrpcSenderBuilder compression(Compression compression) {
    this.compression = Objects.requireNonNull(compression, "compression");
    return this;
  }

  /** Adds metadata sent with every call, replacing an entry of the same key. */
  public OtlpGrpcSenderBuilder addHeader(String name, Secret value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a metadata key)");
    }
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  public OtlpGrpcSenderBuilder headers(Map<String, Secret> headers) {
    Objects.requireNonNull(headers, "headers").forEach(this::addHeader);
    return this;
  }

  /** Per-attempt deadline; default 5s. */
  public OtlpGrpcSenderBuilder timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
    return this;
  }

  /** Time source for log throttling; default {@link Clock#SYSTEM}. */
  public OtlpGrpcSenderBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Event loops and connection pool to use; default Armeria's shared {@link
   * ClientFactory#ofDefault()}.
   */
  public OtlpGrpcSenderBuilder clientFactory(ClientFactory clientFactory) {
    this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
    return this;
  }

  /**
   * CA, client certificate or {@code insecure_skip_verify} for an {@code https://} endpoint; the
   * sender then has a client factory of its own (and {@link #clientFactory} is ignored). Default:
   * the JVM's trust store. {@code insecure_skip_verify} is logged as a warning at build.
   */
  public OtlpGrpcSenderBuilder tls(TlsClientConfig tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  private ClientFactory factory() {
    if (!tls.customized()) {
      return clientFactory;
    }
    ownedFactory =
        TlsClients.factory(
            tls, String.valueOf(endpoint), org.slf4j.LoggerFactory.getLogger(OtlpGrpcSender.class));
    return ownedFactory;
  }

  public OtlpGrpcSender build() {
    if (endpoint == null) {
      throw new IllegalStateException(
          "endpoint: not set (expected: host:port or http(s)://host:port)");
    }
    final com.linecorp.armeria.client.grpc.GrpcClientBuilder b =
        GrpcClients.builder(endpoint)
            .factory(factory())
            // the per-call deadline governs; this only keeps Armeria's 10s default from cutting it
            // short
            .responseTimeout(timeout.plusSeconds(1))
            .writeTimeout(timeout)
            .maxResponseLength(MAX_RESPONSE_BYTES);
    headers.forEach((name, value) -> b.addHeader(name, value.value()));
    return new OtlpGrpcSender(this, b.build(TraceServiceStub.class));
  }
}
