package dev.genainormalizer.exporter.otlphttp;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.encoding.DecodingClient;
import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.helper.HttpStatusPolicy;
import dev.genainormalizer.exporter.helper.TlsClients;
import io.micrometer.core.instrument.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Builds an {@link OtlpHttpSender}; {@link #endpoint} is required, the rest have defaults. */
public final class OtlpHttpSenderBuilder {
  /** Per-attempt timeout unless set: {@code 30s}, as the Collector's {@code otlphttp} exporter. */
  public static final Duration DEFAULT_TIMEOUT = HttpClientSettings.DEFAULT_TIMEOUT;

  /** Answers longer than this are cut off; an OTLP answer is a few bytes. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  URI endpoint;
  Encoding encoding = Encoding.PROTO;
  Compression compression = Compression.GZIP;
  final Map<String, Secret> headers = new LinkedHashMap<>();
  Duration timeout = DEFAULT_TIMEOUT;
  HttpStatusPolicy statusPolicy = HttpStatusPolicy.defaults();
  Clock clock = Clock.SYSTEM;
  Duration logInterval = Duration.ofSeconds(10);
  private ClientFactory clientFactory = ClientFactory.ofDefault();
  private TlsClientConfig tls = TlsClientConfig.defaults();

  /** The factory the sender built for {@link #tls} and closes with itself; null when shared. */
  ClientFactory ownedFactory;

  OtlpHttpSenderBuilder() {}

  /** The full URL batches are POSTed to, e.g. {@code http://collector:4318/v1/traces}. */
  public OtlpHttpSenderBuilder endpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    final String scheme = endpoint.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint: "
              + Redaction.url(endpoint.toString())
              + " (expected: an http:// or https:// URL with a host)");
    }
    EndpointCredentials.check("endpoint", endpoint.toString(), EndpointCredentials.IN_HEADERS)
        .ifPresent(
            message -> {
              throw new IllegalArgumentException(message);
            });
    this.endpoint = endpoint;
    return this;
  }

  public OtlpHttpSenderBuilder encoding(Encoding encoding) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    return this;
  }

  public OtlpHttpSenderBuilder compression(Compression compression) {
    this.compression = Objects.requireNonNull(compression, "compression");
    return this;
  }

  /** Adds a header sent with every request, replacing one of the same name. */
  public OtlpHttpSenderBuilder addHeader(String name, Secret value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a header name)");
    }
    headers.put(name, value);
    return this;
  }

  public OtlpHttpSenderBuilder headers(Map<String, Secret> headers) {
    Objects.requireNonNull(headers, "headers").forEach(this::addHeader);
    return this;
  }

  /**
   * The shared client settings: compression, headers, timeout and tls. Not the endpoint: where the
   * traces path goes under it is each exporter's rule.
   */
  public OtlpHttpSenderBuilder client(HttpClientSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return compression(settings.compression())
        .headers(settings.headers())
        .timeout(settings.timeout())
        .tls(settings.tls());
  }

  /** Per attempt, until the whole response is read; default 30s. */
  public OtlpHttpSenderBuilder timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
    return this;
  }

  /** Which statuses are retried; default 429, 502, 503, 504. */
  public OtlpHttpSenderBuilder statusPolicy(HttpStatusPolicy statusPolicy) {
    this.statusPolicy = Objects.requireNonNull(statusPolicy, "statusPolicy");
    return this;
  }

  /** Time source for {@code Retry-After} dates and log throttling; default {@link Clock#SYSTEM}. */
  public OtlpHttpSenderBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Event loops and connection pool to use; default Armeria's shared {@link
   * ClientFactory#ofDefault()}.
   */
  public OtlpHttpSenderBuilder clientFactory(ClientFactory clientFactory) {
    this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
    return this;
  }

  /**
   * CA, client certificate or {@code insecure_skip_verify} for an {@code https://} endpoint; the
   * sender then has a client factory of its own (and {@link #clientFactory} is ignored). Default:
   * the JVM's trust store. {@code insecure_skip_verify} is logged as a warning at build.
   */
  public OtlpHttpSenderBuilder tls(TlsClientConfig tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  private ClientFactory factory() {
    if (!tls.customized()) {
      return clientFactory;
    }
    ownedFactory =
        TlsClients.factory(
            tls,
            Redaction.url(String.valueOf(endpoint)),
            org.slf4j.LoggerFactory.getLogger(OtlpHttpSender.class));
    return ownedFactory;
  }

  public OtlpHttpSender build() {
    if (endpoint == null) {
      throw new IllegalStateException("endpoint: not set (expected: an http:// or https:// URL)");
    }
    final WebClient client =
        WebClient.builder(endpoint.getScheme() + "://" + endpoint.getRawAuthority())
            .factory(factory())
            .responseTimeout(timeout)
            .writeTimeout(timeout)
            .maxResponseLength(MAX_RESPONSE_BYTES)
            .decorator(DecodingClient.newDecorator())
            .build();
    return new OtlpHttpSender(this, client);
  }
}
