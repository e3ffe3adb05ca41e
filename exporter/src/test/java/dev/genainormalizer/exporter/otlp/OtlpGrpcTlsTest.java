package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code https://} means TLS; the test trusts the server's self-signed certificate. */
class OtlpGrpcTlsTest {
  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final ServerExtension server =
      new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
          sb.https(0).tlsSelfSigned();
          sb.service(
              GrpcService.builder()
                  .addService(
                      new TraceServiceGrpc.TraceServiceImplBase() {
                        @Override
                        public void export(
                            ExportTraceServiceRequest request,
                            StreamObserver<ExportTraceServiceResponse> observer) {
                          RECEIVED.add(request);
                          observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                          observer.onCompleted();
                        }
                      })
                  .build());
        }
      };

  @Test
  void sendsOverTlsToAnHttpsEndpoint() throws Exception {
    final TraceBatch batch = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
    final OtlpGrpcSender sender =
        OtlpGrpcSender.builder()
            .endpoint("https://127.0.0.1:" + server.httpsPort())
            .clientFactory(ClientFactory.insecure())
            // the first TLS handshake of the JVM can take longer than the default 10 s on a busy
            // machine
            .timeout(Duration.ofSeconds(60))
            .build();

    sender.send(batch).get(90, TimeUnit.SECONDS);

    assertThat(RECEIVED).containsExactly(batch.request());
  }
}
