package dev.genainormalizer.exporter.loadbalancing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genainormalizer.config.EndpointCredentials;
import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.Redaction;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsClientConfig;
import dev.genainormalizer.config.Validatable;
import dev.genainormalizer.exporter.helper.Compression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code loadbalancing} exporter's YAML block, as the Collector's: every span of one trace goes
 * to the same backend of a changing set, so a trace split across exports meets itself on one pod.
 *
 * @param routingKey {@code traceID} (the only value for now; default)
 * @param protocol how each backend is reached: {@code otlp} (gRPC) with its timeout, compression,
 *     headers, retry, queue and TLS
 * @param resolver where the backends come from: exactly one of {@code static} and {@code dns}
 */
public record LoadBalancingExporterConfig(String routingKey, Protocol protocol, Resolver resolver)
    implements Validatable {
  public static final String TRACE_ID = "traceID";

  public LoadBalancingExporterConfig {
    routingKey = routingKey == null || routingKey.isBlank() ? TRACE_ID : routingKey.trim();
    protocol = protocol == null ? new Protocol(null) : protocol;
    resolver = resolver == null ? new Resolver(null, null) : resolver;
  }

  public static LoadBalancingExporterConfig defaults() {
    return new LoadBalancingExporterConfig(null, null, null);
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (!TRACE_ID.equals(routingKey)) {
      errors.add("routing_key: " + routingKey + " (expected: traceID)");
    }
    return errors;
  }

  /** {@code protocol}: only {@code otlp} for now. */
  public record Protocol(Otlp otlp) {
    public Protocol {
      otlp = otlp == null ? Otlp.defaults() : otlp;
    }
  }

  /**
   * {@code protocol.otlp}: the settings of the OTLP/gRPC exporter made for each backend (its
   * endpoint comes from the resolver).
   *
   * @param timeout per attempt; default 5s
   * @param compression {@code gzip} (default) or {@code none}
   * @param headers gRPC metadata added to every call (secrets)
   * @param retryOnFailure {@code retry_on_failure}, per backend
   * @param sendingQueue {@code sending_queue}, per backend
   * @param tls as the {@code otlp} exporter's; the backends' {@code host:port} carry no scheme, so
   *     a customized block (any of {@code ca_file}, {@code cert_file}, {@code
   *     insecure_skip_verify}) is what turns TLS on for every backend. Default: plaintext, as
   *     before
   */
  public record Otlp(
      Duration timeout,
      Compression compression,
      Map<String, Secret> headers,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue,
      TlsClientConfig tls)
      implements Validatable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public Otlp {
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
      compression = compression == null ? Compression.GZIP : compression;
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
      sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
      tls = tls == null ? TlsClientConfig.defaults() : tls;
    }

    public static Otlp defaults() {
      return new Otlp(null, null, null, null, null, null);
    }

    /** Whether the backends are reached over TLS ({@code https://host:port}). */
    public boolean usesTls() {
      return tls.customized();
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (timeout.isNegative() || timeout.isZero()) {
        errors.add("timeout: " + timeout + " (expected: > 0)");
      }
      for (String name : headers.keySet()) {
        if (name.isEmpty()
            || !name.equals(name.toLowerCase(Locale.ROOT))
            || name.startsWith("grpc-")) {
          errors.add(
              "headers: '"
                  + name
                  + "' (expected: lowercase gRPC metadata key, not starting with grpc-)");
        }
      }
      return errors;
    }
  }

  /**
   * {@code resolver}: exactly one of the two blocks (the other stays null).
   *
   * @param staticResolver {@code static}: a fixed list of backends
   * @param dns {@code dns}: a name (a headless Service) re-resolved every interval
   */
  public record Resolver(@JsonProperty("static") Static staticResolver, Dns dns)
      implements Validatable {
    @Override
    public List<String> validate() {
      if (staticResolver == null && dns == null) {
        return List.of("static: or dns: required (expected: exactly one resolver)");
      }
      if (staticResolver != null && dns != null) {
        return List.of("static: and dns: both set (expected: exactly one resolver)");
      }
      return List.of();
    }
  }

  /** {@code resolver.static}: {@code hostnames}, each {@code host:port}. */
  public record Static(List<String> hostnames) implements Validatable {
    public Static {
      hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (hostnames.isEmpty()) {
        errors.add("hostnames: required (expected: at least one host:port)");
      }
      for (String h : hostnames) {
        if (h == null || h.isBlank() || h.contains("://") || h.lastIndexOf(':') <= 0) {
          errors.add("hostnames: '" + Redaction.url(h) + "' (expected: host:port)");
          continue;
        }
        final Optional<String> userInfo =
            EndpointCredentials.check("hostnames", h, "protocol.otlp.headers");
        if (userInfo.isPresent()) {
          errors.add(userInfo.get());
          continue;
        }
        final String port = h.trim().substring(h.trim().lastIndexOf(':') + 1);
        if (!port.matches("[0-9]{1,5}")
            || Integer.parseInt(port) < 1
            || Integer.parseInt(port) > 65535) {
          errors.add("hostnames: '" + h + "' (expected: host:port, port 1-65535)");
        }
      }
      return errors;
    }
  }

  /**
   * {@code resolver.dns}.
   *
   * @param hostname the name to resolve (every address is a backend); required
   * @param port the backends' OTLP/gRPC port; default 4317
   * @param interval how often the name is resolved again; default 5s
   * @param timeout how long one resolution may take; default 1s
   */
  public record Dns(String hostname, Integer port, Duration interval, Duration timeout)
      implements Validatable {
    public static final int DEFAULT_PORT = 4317;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public Dns {
      hostname = hostname == null ? "" : hostname.trim();
      port = port == null ? DEFAULT_PORT : port;
      interval = interval == null ? DEFAULT_INTERVAL : interval;
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (hostname.isEmpty()) {
        errors.add("hostname: required (expected: a DNS name, e.g. a headless Service)");
      }
      if (port < 1 || port > 65535) {
        errors.add("port: " + port + " (expected: 1-65535)");
      }
      if (interval.isNegative() || interval.isZero()) {
        errors.add("interval: " + interval + " (expected: > 0)");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        errors.add("timeout: " + timeout + " (expected: > 0)");
      }
      return errors;
    }
  }
}
