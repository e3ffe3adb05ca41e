package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.Code;
import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.genainormalizer.config.AuthConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.testing.TestTraces;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code auth:} on both transports: no or wrong credentials are refused before decoding. */
class ReceiverAuthTest {
  private static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");
  private static final String TOKEN = "s3cr3t-token";
  private static final String OTHER_TOKEN = "second-token";
  private static final int MIB = 1024 * 1024;

  private static ReceiverHarness harness;
  private static ExportTraceServiceRequest request;

  @BeforeAll
  static void start() {
    final AuthConfig auth =
        new AuthConfig(
            List.of(new Secret(TOKEN), new Secret(OTHER_TOKEN)),
            new AuthConfig.BasicAuth("kong", new Secret("p4ss:word")));
    harness = new ReceiverHarness(ReceiverHarness.loopback(null, auth, null));
    request = TestTraces.fixture("kong-3.13-chat.json");
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.consumer.reset();
  }

  @Test
  void noHeaderIs401WithChallenge() {
    final AggregatedHttpResponse res = post(null);
    assertThat(res.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(res.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE))
        .containsExactly(
            "Bearer realm=\"genai-normalizer\", Basic realm=\"genai-normalizer\", charset=\"UTF-8\"");
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void wrongTokenIs401AndTheBodyIsAStatus() throws Exception {
    final double failures = harness.requests("http", "failure");
    final AggregatedHttpResponse res = post("Bearer " + TOKEN + "x");
    assertThat(res.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    final Status status = Status.parseFrom(res.content().array());
    assertThat(status.getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
    assertThat(status.getMessage()).doesNotContain(TOKEN);
    assertThat(harness.requests("http", "failure") - failures).isEqualTo(1);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void rightTokensAre200() {
    assertThat(post("Bearer " + TOKEN).status()).isEqualTo(HttpStatus.OK);
    assertThat(post("bearer " + OTHER_TOKEN).status()).isEqualTo(HttpStatus.OK);
    assertThat(harness.consumer.batches()).hasSize(2);
  }

  @Test
  void basic() {
    assertThat(post(basic("kong", "p4ss:word")).status()).isEqualTo(HttpStatus.OK);
    assertThat(post(basic("kong", "p4ss:wor")).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(post(basic("kon", "p4ss:word")).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(post("Basic !!not-base64!!").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    // the token is not a password, nor the reverse
    assertThat(post("Basic " + TOKEN).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(post("Bearer p4ss:word").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(harness.consumer.batches()).hasSize(1);
  }

  @Test
  void http1ClientWithALargeBodyStillReadsThe401() {
    // Kong speaks HTTP/1.1: the refusal must arrive as a response, not as a reset connection
    final byte[] large = new byte[4 * 1024 * 1024];
    for (int i = 0; i < 3; i++) {
      final AggregatedHttpResponse res =
          WebClient.builder(harness.httpUri().replace("http://", "h1c://"))
              .responseTimeout(Duration.ofSeconds(60))
              .build()
              .prepare()
              .post("/v1/traces")
              .content(PROTOBUF, large)
              .header(HttpHeaderNames.AUTHORIZATION, "Bearer wrong")
              .execute()
              .aggregate()
              .join();
      assertThat(res.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }
    final AggregatedHttpResponse ok =
        WebClient.builder(harness.httpUri().replace("http://", "h1c://"))
            .responseTimeout(Duration.ofSeconds(60))
            .build()
            .prepare()
            .post("/v1/traces")
            .content(PROTOBUF, request.toByteArray())
            .header(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
            .execute()
            .aggregate()
            .join();
    assertThat(ok.status()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void otherPathsNeedCredentialsToo() {
    final AggregatedHttpResponse res =
        WebClient.of(harness.httpUri()).get("/v1/metrics").aggregate().join();
    assertThat(res.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void grpcWithoutOrWithWrongTokenIsUnauthenticated() {
    for (String header : new String[] {null, "Bearer nope"}) {
      final StatusRuntimeException e =
          catchThrowableOfType(() -> grpc(header).export(request), StatusRuntimeException.class);
      assertThat(e).as(String.valueOf(header)).isNotNull();
      assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    }
    assertThat(harness.consumer.batches()).isEmpty();
  }

  /**
   * Credentials come before the size: an unauthenticated caller learns nothing about the limits.
   */
  @Test
  void grpcWithoutCredentialsASeventeenMibCallIsUnauthenticatedNotTooLarge() throws Exception {
    final StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GrpcClients.builder(harness.grpcUri())
                    .responseTimeout(Duration.ofSeconds(60))
                    .maxRequestMessageLength(-1)
                    .build(TraceServiceBlockingStub.class)
                    .export(OneSpanRequests.ofSize(17 * MIB)));
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).isEqualTo(AuthDecorator.MESSAGE);

    // answered once the client has sent it all, so that grpc-java sees the status, not a reset
    final H2cCall.Exchange x =
        H2cCall.grpc(
            harness.port("grpc"),
            OtlpGrpcTraceService.PATH,
            Map.of(),
            H2cCall.frame(false, new byte[20 * MIB]));
    assertThat(x.grpcStatus())
        .isEqualTo(String.valueOf(io.grpc.Status.Code.UNAUTHENTICATED.value()));
    assertThat(x.resetCode()).isEqualTo(-1);
    assertThat(x.answeredBeforeRequestSent()).isFalse();
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void httpWithoutCredentialsASeventeenMibBodyIs401NotTooLarge() {
    final byte[] large = OneSpanRequests.ofSize(17 * MIB).toByteArray();
    assertThat(postLarge(large, null).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(postLarge(large, "Bearer wrong").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    // with credentials, the size is checked
    assertThat(postLarge(large, "Bearer " + TOKEN).status())
        .isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(harness.consumer.batches()).isEmpty();
  }

  @Test
  void grpcWithTheRightTokenOrUserIsOk() {
    grpc("Bearer " + TOKEN).export(request);
    grpc(basic("kong", "p4ss:word")).export(request);
    assertThat(harness.consumer.batches()).hasSize(2);
  }

  @Test
  void authenticatorComparesWholeValues() {
    final Authenticator a = new Authenticator(new AuthConfig(List.of(new Secret(TOKEN)), null));
    assertThat(a.authenticate("Bearer " + TOKEN)).isTrue();
    assertThat(a.authenticate("Bearer  " + TOKEN + " ")).isTrue();
    assertThat(a.authenticate("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(a.authenticate("Bearer")).isFalse();
    assertThat(a.authenticate("")).isFalse();
    assertThat(a.authenticate(null)).isFalse();
    // no basic user configured: a Basic header never passes
    assertThat(a.authenticate(basic("", TOKEN))).isFalse();
    assertThat(a.challenge()).isEqualTo("Bearer realm=\"genai-normalizer\"");
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ':' + password).getBytes(StandardCharsets.UTF_8));
  }

  private static AggregatedHttpResponse post(String authorization) {
    final var prepared =
        WebClient.builder(harness.httpUri())
            .responseTimeout(Duration.ofSeconds(60))
            .build()
            .prepare()
            .post("/v1/traces")
            .content(PROTOBUF, request.toByteArray());
    if (authorization != null) {
      prepared.header(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return prepared.execute().aggregate().join();
  }

  private static AggregatedHttpResponse postLarge(byte[] body, String authorization) {
    final var prepared =
        WebClient.builder(harness.httpUri())
            .responseTimeout(Duration.ofSeconds(60))
            .maxResponseLength(0)
            .build()
            .prepare()
            .post("/v1/traces")
            .content(PROTOBUF, body);
    if (authorization != null) {
      prepared.header(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return prepared.execute().aggregate().join();
  }

  private static TraceServiceBlockingStub grpc(String authorization) {
    final var b = GrpcClients.builder(harness.grpcUri()).responseTimeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.addHeader(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return b.build(TraceServiceBlockingStub.class);
  }
}
