package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An {@code https://} endpoint is reached over TLS; the test trusts the self-signed certificate.
 */
class OtlpHttpTlsTest {
  static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final ServerExtension server =
      new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
          sb.https(0).tlsSelfSigned();
          sb.service(
              "/v1/traces",
              (ctx, req) ->
                  HttpResponse.of(
                      req.aggregate()
                          .thenApply(
                              agg -> {
                                try {
                                  RECEIVED.add(
                                      ExportTraceServiceRequest.parseFrom(agg.content().array()));
                                } catch (Exception e) {
                                  return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                }
                                return HttpResponse.of(HttpStatus.OK);
                              })));
        }
      };

  @Test
  void sendsOverTls() throws Exception {
    final TraceBatch batch = TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"));
    final OtlpHttpSender sender =
        OtlpHttpSender.builder()
            .endpoint(URI.create(server.httpsUri() + "/v1/traces"))
            .compression(dev.genainormalizer.exporter.helper.Compression.NONE)
            .clientFactory(ClientFactory.insecure())
            .build();

    sender.send(batch).get(20, TimeUnit.SECONDS);

    assertThat(RECEIVED).containsExactly(batch.request());
  }
}
