package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.genainormalizer.config.TlsServerConfig;
import dev.genainormalizer.receiver.HostPort;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.GrpcConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.HttpConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Outcome;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code otlp} receiver: one Armeria server per enabled protocol, as the Collector has one
 * listener per protocol, so that each keeps its own port and size limit.
 */
final class OtlpReceiver implements Receiver {
  static final String GRPC = "grpc";
  static final String HTTP = "http";

  /**
   * How long stop() keeps the listeners open after the last request was answered. By the time a
   * receiver stops, the service refuses every new request (503 / UNAVAILABLE, with a retry delay),
   * so this only lets requests in flight get their answers.
   */
  static final Duration GRACEFUL_QUIET_PERIOD = Duration.ofMillis(200);

  /**
   * The longest stop() keeps the listeners open, however many refused requests keep arriving: then
   * they close, clients get "connection refused" and their load balancers turn to other instances.
   * A request still unanswered then gets 503; nothing it carried was acknowledged.
   */
  static final Duration GRACEFUL_TIMEOUT = Duration.ofSeconds(1);
  private static final Logger logger = LoggerFactory.getLogger(OtlpReceiver.class);

  private final String id;
  private final Map<String, Server> servers;
  private final AtomicReference<CompletableFuture<Void>> started = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<Void>> stopped = new AtomicReference<>();

  OtlpReceiver(
      String id,
      OtlpReceiverConfig config,
      TraceIntake intake,
      OtlpReceiverTelemetry telemetry,
      ThrottledLogger log,
      MeterRegistry registry) {
    this.id = id;
    final Map<String, Server> built = new LinkedHashMap<>();
    final Authenticator authenticator =
        config.auth().enabled() ? new Authenticator(config.auth()) : null;
    final GrpcConfig grpc = config.protocols().grpc();
    if (grpc.enabled()) {
      final ServerBuilder sb = baseServer(registry, config.tls());
      if (authenticator != null) {
        sb.decorator(new AuthDecorator(authenticator, Transport.GRPC, telemetry));
      }
      built.put(GRPC, grpcServer(sb, grpc, config.tls(), intake, telemetry));
    }
    final HttpConfig http = config.protocols().http();
    if (http.enabled()) {
      final ServerBuilder sb = baseServer(registry, config.tls());
      if (authenticator != null) {
        sb.decorator(new AuthDecorator(authenticator, Transport.HTTP, telemetry));
      }
      built.put(HTTP, httpServer(sb, http, config.tls(), config.limits(), intake, telemetry, log));
    }
    if (built.isEmpty()) {
      throw new IllegalArgumentException(
          "protocols: grpc and http are both disabled (expected: at least one with enabled: true)");
    }
    this.servers = Map.copyOf(built);
  }

  private static Server grpcServer(
      ServerBuilder sb,
      GrpcConfig config,
      TlsServerConfig tls,
      TraceIntake intake,
      OtlpReceiverTelemetry telemetry) {
    final HostPort endpoint = HostPort.parseOrThrow("protocols.grpc.endpoint", config.endpoint());
    final int maxMessage = config.maxRecvMsgSizeBytes();
    final GrpcService service =
        GrpcService.builder()
            .addService(new OtlpGrpcTraceService(intake))
            .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
            .enableUnframedRequests(false)
            // the consumer never blocks, so the event loop can run it
            .useBlockingTaskExecutor(false)
            .maxRequestMessageLength(maxMessage)
            .exceptionHandler(
                (ctx, status, cause, metadata) -> {
                  if (isUndecodable(cause)) {
                    telemetry.request(Transport.GRPC, Outcome.FAILURE);
                    return Status.INVALID_ARGUMENT.withDescription(
                        "invalid OTLP/protobuf ExportTraceServiceRequest: "
                            + OtlpHttpService.describe(rootCause(cause)));
                  }
                  if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    telemetry.request(Transport.GRPC, Outcome.FAILURE);
                    return Status.RESOURCE_EXHAUSTED.withDescription(
                        OtlpGrpcErrorHandler.tooLargeMessage(config.maxRecvMsgSizeMib()));
                  }
                  return null;
                })
            .build();
    return sb.port(new ServerPort(endpoint.toSocketAddress(), protocol(tls)))
        // room for the 5-byte frame header; the deframer enforces the message limit itself
        .maxRequestLength(maxMessage + 64L * 1024)
        .errorHandler(new OtlpGrpcErrorHandler(telemetry, config.maxRecvMsgSizeMib()))
        // inside the server's decorators, so credentials are checked before any refusal is told
        .service(service, delegate -> delegate.decorate(new GrpcRefusalDecorator(intake)))
        .build();
  }

  private static Server httpServer(
      ServerBuilder sb,
      HttpConfig config,
      TlsServerConfig tls,
      ReceiverLimits limits,
      TraceIntake intake,
      OtlpReceiverTelemetry telemetry,
      ThrottledLogger log) {
    final HostPort endpoint = HostPort.parseOrThrow("protocols.http.endpoint", config.endpoint());
    final int maxBody = (int) config.maxRequestBodySize();
    final OtlpHttpService traces = new OtlpHttpService(intake, telemetry, log, maxBody, limits);
    return sb.port(new ServerPort(endpoint.toSocketAddress(), protocol(tls)))
        // caps the compressed body; the decompressor caps the decoded one at the same size
        .maxRequestLength(maxBody)
        .errorHandler(new OtlpHttpErrorHandler(telemetry, maxBody))
        .service(Route.builder().exact(config.tracesUrlPath()).build(), traces)
        // added after the traces route, which wins as the more specific match
        .serviceUnder("/", new NotFoundService(config.tracesUrlPath(), telemetry))
        .build();
  }

  private static SessionProtocol protocol(TlsServerConfig tls) {
    return tls.enabled() ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
  }

  /** What both listeners share: TLS, graceful stop, no per-request exception logging. */
  private static ServerBuilder baseServer(MeterRegistry registry, TlsServerConfig tls) {
    final ServerBuilder sb = Server.builder();
    if (tls.enabled()) {
      configureTls(sb, tls);
    }
    return sb
        // Armeria's own meters (connections, executors) go to the injected registry, not the global
        // one
        .meterRegistry(registry)
        // stop() lets in-flight exports be answered (up to GRACEFUL_TIMEOUT) before closing
        .gracefulShutdownTimeout(GRACEFUL_QUIET_PERIOD, GRACEFUL_TIMEOUT)
        // bad requests are counted in otelcol.receiver.requests{outcome=failure}; Armeria's
        // periodic "unlogged exceptions" warning would only repeat that in the log
        .unloggedExceptionsReportInterval(Duration.ZERO);
  }

  /**
   * Loads the PEM files now, so that a bad file fails {@code create} with the key that names it
   * rather than a handshake later.
   */
  private static void configureTls(ServerBuilder sb, TlsServerConfig tls) {
    final File cert = new File(tls.certFile());
    final File key = new File(tls.keyFile());
    try {
      SslContextBuilder.forServer(cert, key).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls.cert_file/key_file: cannot load '"
              + tls.certFile()
              + "' and '"
              + tls.keyFile()
              + "' (expected: a PEM certificate chain and its PKCS#8 PEM private key): "
              + OtlpHttpService.describe(e),
          e);
    }
    sb.tls(cert, key);
    if (tls.mutual()) {
      final File ca = new File(tls.clientCaFile());
      try {
        SslContextBuilder.forServer(cert, key).trustManager(ca).build();
      } catch (SSLException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tls.client_ca_file: cannot load '"
                + tls.clientCaFile()
                + "' (expected: PEM CA certificates): "
                + OtlpHttpService.describe(e),
            e);
      }
      sb.tlsCustomizer(b -> b.trustManager(ca).clientAuth(ClientAuth.REQUIRE));
    }
  }

  private static boolean isUndecodable(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable cause) {
    Throwable t = cause;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public CompletableFuture<Void> start() {
    final CompletableFuture<Void> mine = new CompletableFuture<>();
    if (!started.compareAndSet(null, mine)) {
      return started.get();
    }
    final List<CompletableFuture<Void>> binds = new ArrayList<>();
    servers.values().forEach(s -> binds.add(s.start()));
    CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                // one port failed (e.g. in use): release the other before reporting
                stop().whenComplete((x, y) -> mine.completeExceptionally(e));
                return;
              }
              logger.info("receiver {} listening: {}", id, describeAddresses());
              mine.complete(null);
            });
    return mine;
  }

  @Override
  public CompletableFuture<Void> stop() {
    final CompletableFuture<Void> mine = new CompletableFuture<>();
    if (!stopped.compareAndSet(null, mine)) {
      return stopped.get();
    }
    final List<CompletableFuture<Void>> stops = new ArrayList<>();
    servers.values().forEach(s -> stops.add(s.stop()));
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, e) -> {
              logger.info("receiver {} stopped", id);
              if (e != null) {
                mine.completeExceptionally(e);
              } else {
                mine.complete(null);
              }
            });
    return mine;
  }

  @Override
  public Map<String, InetSocketAddress> boundAddresses() {
    final Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    for (String protocol : List.of(GRPC, HTTP)) {
      final Server server = servers.get(protocol);
      if (server == null) {
        continue;
      }
      final ServerPort port = server.activePort();
      if (port != null) {
        out.put(protocol, port.localAddress());
      }
    }
    return out;
  }

  private String describeAddresses() {
    final StringBuilder sb = new StringBuilder();
    boundAddresses()
        .forEach(
            (protocol, address) -> {
              if (sb.length() > 0) {
                sb.append(", ");
              }
              sb.append(protocol)
                  .append('=')
                  .append(address.getHostString())
                  .append(':')
                  .append(address.getPort());
            });
    return sb.toString();
  }
}
