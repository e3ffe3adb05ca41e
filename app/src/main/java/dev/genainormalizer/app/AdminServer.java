package dev.genainormalizer.app;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code /} (status page) and {@code /status.json} (the same as JSON), {@code
 * /healthz} (the process is alive), {@code /readyz} (every receiver is bound and the pipelines are
 * built) and {@code /metrics} (Prometheus text format).
 */
final class AdminServer {
  private static final MediaType PROMETHEUS_TEXT =
      MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

  private final Server server;

  AdminServer(
      InetSocketAddress address,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry,
      StatusPage status) {
    this.server =
        Server.builder()
            .http(address)
            // Armeria's meters of this server (its own executor and connection counts) are not
            // published; without a registry of its own it would use the process-wide global one,
            // where a second service in the same JVM is a double registration.
            .meterRegistry(new CompositeMeterRegistry())
            // The admin port serves short requests only; a long graceful wait only slows shutdown.
            .gracefulShutdownTimeout(
                java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(2))
            .service(
                "/healthz",
                (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n"))
            .service(
                "/readyz",
                (ctx, req) ->
                    ready.getAsBoolean()
                        ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n")
                        : HttpResponse.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            MediaType.PLAIN_TEXT_UTF_8,
                            "not ready\n"))
            .service(
                "/metrics",
                (ctx, req) -> HttpResponse.of(HttpStatus.OK, PROMETHEUS_TEXT, registry.scrape()))
            .service(
                "/",
                (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, status.html()))
            .service(
                "/status.json",
                (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, status.json()))
            .build();
  }

  void start() {
    server.start().join();
  }

  /** Closes the port; completes once Armeria has released its threads too. */
  CompletableFuture<Void> stop() {
    return server.stop();
  }

  /** The bound address; valid after {@link #start()}. */
  InetSocketAddress address() {
    return server.activePort().localAddress();
  }
}
