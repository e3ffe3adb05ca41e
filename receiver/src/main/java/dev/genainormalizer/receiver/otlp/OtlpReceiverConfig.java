package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.config.AuthConfig;
import dev.genainormalizer.config.HostPort;
import dev.genainormalizer.config.TlsServerConfig;
import dev.genainormalizer.config.Validatable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code receivers.otlp}: OTLP/gRPC and OTLP/HTTP trace endpoints, keyed as in the Collector.
 *
 * @param protocols the two transports; both on by default
 * @param limits bounds on the content of one request, for both transports
 * @param auth credentials every request must carry, on both transports; off by default
 * @param tls TLS (and mutual TLS) for both listeners; off by default
 */
public record OtlpReceiverConfig(
    Protocols protocols, ReceiverLimits limits, AuthConfig auth, TlsServerConfig tls)
    implements Validatable {

  public OtlpReceiverConfig {
    protocols = protocols == null ? Protocols.defaults() : protocols;
    limits = limits == null ? ReceiverLimits.defaults() : limits;
    auth = auth == null ? AuthConfig.defaults() : auth;
    tls = tls == null ? TlsServerConfig.defaults() : tls;
  }

  /** Protocols only; limits, auth and TLS take their defaults. */
  public OtlpReceiverConfig(Protocols protocols) {
    this(protocols, null, null, null);
  }

  public static OtlpReceiverConfig defaults() {
    return new OtlpReceiverConfig(Protocols.defaults());
  }

  @Override
  public List<String> validate() {
    // each protocol block validates itself (the loader walks nested records); only the rule
    // spanning both lives here
    if (!protocols.grpc().enabled() && !protocols.http().enabled()) {
      return List.of(
          "protocols: grpc and http are both disabled (expected: at least one with enabled: true)");
    }
    return List.of();
  }

  /**
   * {@code protocols}: the transports. The loader overlays YAML on the defaults, so leaving a
   * protocol out keeps it on; switch one off with {@code enabled: false}.
   */
  public record Protocols(GrpcConfig grpc, HttpConfig http) {
    public Protocols {
      grpc = grpc == null ? GrpcConfig.defaults() : grpc;
      http = http == null ? HttpConfig.defaults() : http;
    }

    public static Protocols defaults() {
      return new Protocols(GrpcConfig.defaults(), HttpConfig.defaults());
    }
  }

  /**
   * {@code protocols.grpc}: OTLP/gRPC {@code TraceService/Export}.
   *
   * @param enabled serve gRPC at all; default true
   * @param endpoint listen address; default {@value #DEFAULT_ENDPOINT}
   * @param maxRecvMsgSizeMib largest request message after decompression, in MiB; default {@value
   *     #DEFAULT_MAX_RECV_MSG_SIZE_MIB}
   */
  public record GrpcConfig(boolean enabled, String endpoint, int maxRecvMsgSizeMib)
      implements Validatable {
    public static final String DEFAULT_ENDPOINT = "0.0.0.0:4317";
    public static final int DEFAULT_MAX_RECV_MSG_SIZE_MIB = 16;

    /** Armeria's message limit is an int of bytes. */
    static final int MAX_RECV_MSG_SIZE_MIB = 2047;

    public GrpcConfig {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
    }

    public static GrpcConfig defaults() {
      return new GrpcConfig(true, DEFAULT_ENDPOINT, DEFAULT_MAX_RECV_MSG_SIZE_MIB);
    }

    /** The message limit in bytes. */
    public int maxRecvMsgSizeBytes() {
      return maxRecvMsgSizeMib * 1024 * 1024;
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (HostPort.parse(endpoint).isEmpty()) {
        errors.add("endpoint: '" + endpoint + "' (expected: " + HostPort.EXPECTED + ")");
      }
      if (maxRecvMsgSizeMib <= 0 || maxRecvMsgSizeMib > MAX_RECV_MSG_SIZE_MIB) {
        errors.add(
            "max_recv_msg_size_mib: "
                + maxRecvMsgSizeMib
                + " (expected: > 0 and <= "
                + MAX_RECV_MSG_SIZE_MIB
                + ")");
      }
      return errors;
    }
  }

  /**
   * {@code protocols.http}: OTLP/HTTP, protobuf or JSON, {@code POST} on {@code traces_url_path}.
   *
   * @param enabled serve HTTP at all; default true
   * @param endpoint listen address; default {@value #DEFAULT_ENDPOINT}
   * @param tracesUrlPath the path Kong's {@code traces_endpoint} points at; default {@value
   *     #DEFAULT_TRACES_URL_PATH}
   * @param maxRequestBodySize largest body in bytes, after decompression (the compressed body is
   *     capped at the same size); default {@value #DEFAULT_MAX_REQUEST_BODY_SIZE}
   */
  public record HttpConfig(
      boolean enabled, String endpoint, String tracesUrlPath, long maxRequestBodySize)
      implements Validatable {
    public static final String DEFAULT_ENDPOINT = "0.0.0.0:4318";
    public static final String DEFAULT_TRACES_URL_PATH = "/v1/traces";
    public static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 16L * 1024 * 1024;

    /** The decoded body is held in one byte array. */
    static final long MAX_REQUEST_BODY_SIZE = Integer.MAX_VALUE - 16;

    public HttpConfig {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      tracesUrlPath = tracesUrlPath == null ? DEFAULT_TRACES_URL_PATH : tracesUrlPath;
    }

    public static HttpConfig defaults() {
      return new HttpConfig(
          true, DEFAULT_ENDPOINT, DEFAULT_TRACES_URL_PATH, DEFAULT_MAX_REQUEST_BODY_SIZE);
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (HostPort.parse(endpoint).isEmpty()) {
        errors.add("endpoint: '" + endpoint + "' (expected: " + HostPort.EXPECTED + ")");
      }
      if (!tracesUrlPath.startsWith("/")
          || tracesUrlPath.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
        errors.add(
            "traces_url_path: '"
                + tracesUrlPath
                + "' (expected: an absolute path starting with '/', without spaces, query or"
                + " fragment)");
      }
      if (maxRequestBodySize <= 0 || maxRequestBodySize > MAX_REQUEST_BODY_SIZE) {
        errors.add(
            "max_request_body_size: "
                + maxRequestBodySize
                + " (expected: > 0 and <= "
                + MAX_REQUEST_BODY_SIZE
                + ")");
      }
      return errors;
    }
  }
}
