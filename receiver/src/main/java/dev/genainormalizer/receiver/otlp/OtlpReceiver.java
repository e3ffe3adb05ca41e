package dev.genainormalizer.receiver.otlp;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import dev.genainormalizer.config.HostPort;
import dev.genainormalizer.config.TlsServerConfig;
import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.GrpcConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.HttpConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverTelemetry.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code otlp} receiver: one Armeria server per enabled protocol, as the Collector has one
 * listener per protocol, so that each keeps its own port and size limit. Both are plain HTTP
 * services on Armeria: OTLP/gRPC's one unary method needs no gRPC framework, and serving it
 * ourselves keeps its decompression and memory bounded like OTLP/HTTP's.
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

  /** Armeria's own request length cap sits this far above the services' discard limit. */
  private static final long BACKSTOP_SLACK_BYTES = 1024 * 1024;

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
      MeterRegistry registry,
      MemoryBudget budget) {
    this.id = id;
    final Map<String, Server> built = new LinkedHashMap<>();
    final Authenticator authenticator =
        config.auth().enabled() ? new Authenticator(config.auth()) : null;
    final GrpcConfig grpc = config.protocols().grpc();
    if (grpc.enabled()) {
      final ServerBuilder sb = baseServer(ListenerMeters.of(registry, id, GRPC), config.tls());
      if (authenticator != null) {
        sb.decorator(
            new AuthDecorator(
                authenticator,
                Transport.GRPC,
                telemetry,
                RequestBody.discardLimit(grpc.maxRecvMsgSizeBytes())));
      }
      built.put(
          GRPC,
          grpcServer(sb, grpc, config.tls(), intake, telemetry, config.limits(), log, budget));
    }
    final HttpConfig http = config.protocols().http();
    if (http.enabled()) {
      final ServerBuilder sb = baseServer(ListenerMeters.of(registry, id, HTTP), config.tls());
      if (authenticator != null) {
        sb.decorator(new AuthDecorator(authenticator, Transport.HTTP, telemetry, 0));
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
      OtlpReceiverTelemetry telemetry,
      ReceiverLimits limits,
      ThrottledLogger log,
      MemoryBudget budget) {
    final HostPort endpoint = HostPort.parseOrThrow("protocols.grpc.endpoint", config.endpoint());
    final long discardLimit = RequestBody.discardLimit(config.maxRecvMsgSizeBytes());
    // Our own unary gRPC service rather than a gRPC framework's: it bounds and counts what it
    // inflates (max_recv_msg_size_mib + 1 byte, against memory_limit) as the message arrives, and
    // answers only once the client has sent the whole call, which grpc-java needs to see the
    // status.
    final OtlpGrpcTraceService traces =
        new OtlpGrpcTraceService(
            intake, telemetry, log, budget, config.maxRecvMsgSizeMib(), limits);
    return sb.port(new ServerPort(endpoint.toSocketAddress(), protocol(tls)))
        // a backstop only: the services stop reading at discardLimit themselves
        .maxRequestLength(discardLimit + BACKSTOP_SLACK_BYTES)
        .errorHandler(new OtlpGrpcErrorHandler(telemetry, config.maxRecvMsgSizeMib()))
        .service(OtlpGrpcTraceService.PATH, traces)
        // added after the Export route, which wins as the more specific match
        .serviceUnder("/", new GrpcUnimplementedService(telemetry, discardLimit))
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
        // Only a backstop, above the body limit, so that credentials are checked before the size:
        // the traces service sets the body limit on each request it reads (Armeria checks a
        // Content-Length against the server's limit before any decorator runs).
        .maxRequestLength(RequestBody.discardLimit(maxBody))
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
        // Armeria's own meters (connections, pending responses) go to the injected registry, not
        // the global one; ListenerMeters keeps the two listeners' meters apart
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
