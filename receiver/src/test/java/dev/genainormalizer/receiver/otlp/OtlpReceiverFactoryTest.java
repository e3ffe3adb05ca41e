package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.receiver.ConsumeResult;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.ReceiverSettings;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.GrpcConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.HttpConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.Protocols;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OtlpReceiverFactoryTest {
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void isFoundThroughServiceLoader() {
    assertThat(ComponentRegistry.loadInstalled().find(ComponentKind.RECEIVER, "otlp"))
        .get()
        .isInstanceOf(OtlpReceiverFactory.class);
    final OtlpReceiverFactory f = new OtlpReceiverFactory();
    assertThat(f.kind()).isEqualTo(ComponentKind.RECEIVER);
    assertThat(f.type()).isEqualTo("otlp");
    assertThat(f.configType()).isEqualTo(OtlpReceiverConfig.class);
  }

  @Test
  void servesOnlyTheEnabledProtocolAndStopsIdempotently() throws Exception {
    final Receiver receiver =
        create(
            new Protocols(
                new GrpcConfig(false, "127.0.0.1:0", 4),
                new HttpConfig(true, "127.0.0.1:0", "/kong/traces", 1024 * 1024)));
    final CompletableFuture<Void> first = receiver.start();
    assertThat(receiver.start()).isSameAs(first);
    first.get(30, TimeUnit.SECONDS);
    assertThat(receiver.boundAddresses()).containsOnlyKeys("http");
    final int port = receiver.boundAddresses().get("http").getPort();
    assertThat(port).isPositive();

    final AggregatedHttpResponse res =
        WebClient.builder("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(30))
            .build()
            .prepare()
            .post("/kong/traces")
            .content(MediaType.JSON, TestTraces.fixtureBytes(TestTraces.KONG_FIXTURES.get(0)))
            .execute()
            .aggregate()
            .join();
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(consumer.batches()).hasSize(1);

    final CompletableFuture<Void> stop = receiver.stop();
    assertThat(receiver.stop()).isSameAs(stop);
    stop.get(30, TimeUnit.SECONDS);
    // the port is free again
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void stopAnswersTheExportInFlightBeforeItCompletes() throws Exception {
    final Receiver receiver =
        create(
            new Protocols(
                new GrpcConfig(false, "127.0.0.1:0", 4),
                new HttpConfig(true, "127.0.0.1:0", "/v1/traces", 1024 * 1024)));
    receiver.start().get(30, TimeUnit.SECONDS);
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    consumer.answer(
        b -> {
          entered.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ConsumeResult.ACCEPTED;
        });
    final CompletableFuture<AggregatedHttpResponse> inFlight =
        WebClient.builder("http://127.0.0.1:" + receiver.boundAddresses().get("http").getPort())
            .responseTimeout(Duration.ofSeconds(60))
            .build()
            .prepare()
            .post("/v1/traces")
            .content(MediaType.JSON, TestTraces.fixtureBytes(TestTraces.KONG_FIXTURES.get(0)))
            .execute()
            .aggregate();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    final CompletableFuture<Void> stop = receiver.stop();
    // a stop that cut the connection would be done by now; a graceful one waits for the export
    assertThatThrownBy(() -> stop.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    release.countDown();

    assertThat(inFlight.get(30, TimeUnit.SECONDS).status()).isEqualTo(HttpStatus.OK);
    stop.get(30, TimeUnit.SECONDS);
  }

  @Test
  void startFailsWhenAPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      final Receiver receiver =
          create(
              new Protocols(
                  new GrpcConfig(true, "127.0.0.1:0", 4),
                  new HttpConfig(true, "127.0.0.1:" + taken.getLocalPort(), "/v1/traces", 1024)));
      assertThatThrownBy(() -> receiver.start().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      receiver.stop().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void createRejectsWhatValidateRejects() {
    assertThatThrownBy(
            () ->
                create(
                    new Protocols(
                        new GrpcConfig(false, "0.0.0.0:4317", 4),
                        new HttpConfig(false, "0.0.0.0:4318", "/v1/traces", 1024))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both disabled");
    assertThatThrownBy(
            () -> create(new Protocols(new GrpcConfig(true, "nowhere", 4), HttpConfig.defaults())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocols.grpc.endpoint: 'nowhere' (expected: host:port with port 0-65535)");
  }

  @Test
  void registersItsCountersAtCreationSoDashboardsShowZero() {
    create(Protocols.defaults());
    for (String transport : new String[] {"grpc", "http"}) {
      for (String name :
          new String[] {
            OtlpReceiverTelemetry.ACCEPTED_SPANS, OtlpReceiverTelemetry.REFUSED_SPANS
          }) {
        assertThat(registry.find(name).tags("receiver", "otlp/f", "transport", transport).counter())
            .as(name + " " + transport)
            .isNotNull();
      }
      assertThat(
              registry.find(OtlpReceiverTelemetry.REQUESTS).tags("transport", transport).counters())
          .hasSize(3);
    }
  }

  private Receiver create(Protocols protocols) {
    return new OtlpReceiverFactory()
        .create(
            new OtlpReceiverConfig(protocols),
            new ReceiverSettings(
                dev.genainormalizer.config.ComponentId.parse("otlp/f"),
                consumer,
                registry,
                MemoryBudget.unlimited()));
  }
}
