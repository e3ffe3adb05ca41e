package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.HostPort;
import dev.genainormalizer.config.TelemetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the admin port listens ({@code service.telemetry.admin.endpoint}): bound to the loopback
 * address it answers there and refuses connections on the machine's other addresses; by default it
 * listens on localhost only, as documented.
 */
class AdminBindTest {
  private static String config(String adminEndpoint) {
    return TestConfig.builder()
        .admin(adminEndpoint)
        .exporter("debug")
        .service("shutdown_timeout: 1s")
        .yaml();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:0", "localhost:0"})
  void boundToLoopback_listensOnTheLoopbackAddressAndAnswersHealthzThere(String endpoint) {
    try (RunningService running = new RunningService(config(endpoint))) {
      final InetSocketAddress bound = running.service.adminAddress();
      assertThat(bound.getAddress().isLoopbackAddress()).as("bound address " + bound).isTrue();
      assertThat(bound.getPort()).isPositive();
      final AggregatedHttpResponse healthz =
          get("http://" + hostLiteral(bound.getAddress()) + ":" + bound.getPort() + "/healthz");
      assertThat(healthz.status().code()).isEqualTo(200);
      assertThat(healthz.contentUtf8()).isEqualTo("ok\n");
    }
  }

  @Test
  void boundToLoopback_refusesConnectionsOnANonLoopbackAddress() {
    final Optional<InetAddress> external = nonLoopbackIpv4();
    Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
    try (RunningService running = new RunningService(config("127.0.0.1:0"))) {
      final int port = running.service.adminAddress().getPort();
      // the admin port does answer on loopback, so a refusal below is the bind, not a dead server
      assertThat(get(running.adminUrl("/healthz")).status().code()).isEqualTo(200);
      final Throwable thrown = catchThrowable(() -> connect(external.get(), port));
      assertThat(thrown)
          .as("connecting to the admin port on " + external.get().getHostAddress() + ":" + port)
          .isInstanceOf(ConnectException.class);
    }
  }

  /**
   * The default is the Collector's choice for its own telemetry and health_check: this host only,
   * since the port has no authentication. Where reachability matters the config says so: the
   * built-in default config (for {@code docker run -p}) and the Helm chart (probes, Prometheus).
   */
  @Test
  void defaultEndpointIsLocalhostPort8888AsDocumented() throws Exception {
    final String endpoint =
        new ConfigLoader(ComponentRegistry.loadInstalled())
            .load(config(null), "test", Map.of())
            .service()
            .telemetry()
            .admin()
            .endpoint();
    assertThat(endpoint)
        .isEqualTo(TelemetryConfig.AdminConfig.DEFAULT_ENDPOINT)
        .isEqualTo("localhost:8888");
    final InetSocketAddress address =
        HostPort.parseOrThrow("service.telemetry.admin.endpoint", endpoint).toSocketAddress();
    assertThat(address.getAddress().isLoopbackAddress()).as(address.toString()).isTrue();
    assertThat(address.getPort()).isEqualTo(8888);
    final String docs =
        Files.readString(
            Path.of("").toAbsolutePath().getParent().resolve("docs/configuration.md"),
            StandardCharsets.UTF_8);
    assertThat(docs)
        .contains("| `admin.endpoint` | `localhost:8888` |")
        .contains("| `telemetry.admin.endpoint` | `localhost:8888` |");
  }

  /** The default's host on an ephemeral port (8888 may be taken): loopback only. */
  @Test
  void defaultHostRefusesConnectionsOnANonLoopbackAddress() {
    final Optional<InetAddress> external = nonLoopbackIpv4();
    Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
    final String host =
        TelemetryConfig.AdminConfig.DEFAULT_ENDPOINT.substring(
            0, TelemetryConfig.AdminConfig.DEFAULT_ENDPOINT.lastIndexOf(':'));
    try (RunningService running = new RunningService(config(host + ":0"))) {
      final InetSocketAddress bound = running.service.adminAddress();
      assertThat(bound.getAddress().isLoopbackAddress()).as("bound address " + bound).isTrue();
      assertThat(
              get("http://" + hostLiteral(bound.getAddress()) + ":" + bound.getPort() + "/healthz")
                  .status()
                  .code())
          .isEqualTo(200);
      assertThat(catchThrowable(() -> connect(external.get(), bound.getPort())))
          .isInstanceOf(ConnectException.class);
    }
  }

  /**
   * The built-in default config is for trying the image: {@code docker run -p 8888:8888} must reach
   * it.
   */
  @Test
  void builtInDefaultConfigListensOnEveryAddress() throws Exception {
    final String endpoint =
        new ConfigLoader(ComponentRegistry.loadInstalled())
            .load(Cli.defaultConfigText(), "built-in default config", Map.of())
            .service()
            .telemetry()
            .admin()
            .endpoint();
    assertThat(endpoint).isEqualTo("0.0.0.0:8888");
  }

  /** {@code 0.0.0.0} set explicitly (as the built-in default config does), on an ephemeral port. */
  @Test
  void everyAddressListensOnEveryAddress() {
    try (RunningService running = new RunningService(config("0.0.0.0:0"))) {
      final InetSocketAddress bound = running.service.adminAddress();
      assertThat(bound.getAddress().isAnyLocalAddress()).as("bound address " + bound).isTrue();
      assertThat(get(running.adminUrl("/healthz")).status().code()).isEqualTo(200);
      final Optional<InetAddress> external = nonLoopbackIpv4();
      if (external.isPresent()) {
        assertThat(
                get("http://"
                        + external.get().getHostAddress()
                        + ":"
                        + bound.getPort()
                        + "/healthz")
                    .status()
                    .code())
            .as("/healthz on " + external.get().getHostAddress())
            .isEqualTo(200);
      }
    }
  }

  private static AggregatedHttpResponse get(String url) {
    try (ClientFactory factory = ClientFactory.builder().build()) {
      return WebClient.builder()
          .factory(factory)
          .responseTimeout(Duration.ofSeconds(20))
          .build()
          .get(url)
          .aggregate()
          .join();
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 10_000);
    }
  }

  private static String hostLiteral(InetAddress address) {
    final String host = address.getHostAddress();
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** An address of this machine other than loopback or link-local, on an interface that is up. */
  private static Optional<InetAddress> nonLoopbackIpv4() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(AdminBindTest::isUp)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(
              a ->
                  a instanceof Inet4Address
                      && !a.isLoopbackAddress()
                      && !a.isLinkLocalAddress()
                      && !a.isAnyLocalAddress())
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
