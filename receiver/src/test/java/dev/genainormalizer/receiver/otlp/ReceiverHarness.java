package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.ReceiverSettings;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.GrpcConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.HttpConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.Protocols;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A real {@code otlp} receiver on loopback ephemeral ports, with a recording consumer. */
final class ReceiverHarness implements AutoCloseable {
  static final ComponentId ID = ComponentId.parse("otlp/test");

  final RecordingConsumer consumer = new RecordingConsumer();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MemoryBudget budget;
  final Receiver receiver;

  ReceiverHarness(int maxRecvMsgSizeMib, long maxRequestBodySize) {
    this(sizes(maxRecvMsgSizeMib, maxRequestBodySize));
  }

  /** Both protocols on loopback ephemeral ports, with these size limits. */
  static OtlpReceiverConfig sizes(int maxRecvMsgSizeMib, long maxRequestBodySize) {
    return new OtlpReceiverConfig(
        new Protocols(
            new GrpcConfig(true, "127.0.0.1:0", maxRecvMsgSizeMib),
            new HttpConfig(true, "127.0.0.1:0", "/v1/traces", maxRequestBodySize)));
  }

  /** Both protocols on loopback ephemeral ports; {@code config}'s protocols are replaced. */
  static OtlpReceiverConfig loopback(
      ReceiverLimits limits,
      dev.genainormalizer.config.AuthConfig auth,
      dev.genainormalizer.config.TlsServerConfig tls) {
    return new OtlpReceiverConfig(
        new Protocols(
            new GrpcConfig(true, "127.0.0.1:0", 16),
            new HttpConfig(true, "127.0.0.1:0", "/v1/traces", 16L * 1024 * 1024)),
        limits,
        auth,
        tls);
  }

  ReceiverHarness(OtlpReceiverConfig config) {
    this(config, MemoryBudget.unlimited());
  }

  /** With the service's memory budget, which the receiver counts what it holds against. */
  ReceiverHarness(OtlpReceiverConfig config, MemoryBudget budget) {
    this.budget = budget;
    receiver =
        new OtlpReceiverFactory()
            .create(config, new ReceiverSettings(ID, consumer, registry, budget));
    try {
      receiver.start().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("receiver did not start", e);
    }
  }

  String httpUri() {
    return uri("http");
  }

  String grpcUri() {
    return uri("grpc");
  }

  int port(String protocol) {
    return receiver.boundAddresses().get(protocol).getPort();
  }

  private String uri(String protocol) {
    final InetSocketAddress a = receiver.boundAddresses().get(protocol);
    return "http://127.0.0.1:" + a.getPort();
  }

  double counter(String name, String transport) {
    final Counter c =
        registry
            .find(name)
            .tag(OtlpReceiverTelemetry.TAG_RECEIVER, ID.toString())
            .tag(OtlpReceiverTelemetry.TAG_TRANSPORT, transport)
            .counter();
    return c == null ? 0 : c.count();
  }

  double requests(String transport, String outcome) {
    final Counter c =
        registry
            .find(OtlpReceiverTelemetry.REQUESTS)
            .tag(OtlpReceiverTelemetry.TAG_TRANSPORT, transport)
            .tag(OtlpReceiverTelemetry.TAG_OUTCOME, outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    receiver.stop().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
