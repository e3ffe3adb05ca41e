package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.testing.TestTraces;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The sender's description and failure messages show its URL with the credentials masked. */
class OtlpHttpSenderRedactionTest {
  private static final String SECRET = "sk-sender-secret-31";

  @Test
  void descriptionAndFailureMessageMaskASecretQueryValue() {
    final OtlpHttpSender sender =
        OtlpHttpSender.builder()
            .endpoint(URI.create("http://127.0.0.1:1/v1/traces?api_key=" + SECRET + "&tenant=acme"))
            .build();
    try {
      assertThat(sender.toString())
          .contains("endpoint=http://127.0.0.1:1/v1/traces?api_key=***&tenant=acme")
          .doesNotContain(SECRET);
      assertThatThrownBy(
              () -> sender.send(TraceBatch.of(TestTraces.fixture("kong-3.13-chat.json"))).join())
          .isInstanceOf(CompletionException.class)
          .satisfies(
              e ->
                  assertThat(e.getCause().getMessage())
                      .contains("POST http://127.0.0.1:1/v1/traces?api_key=***&tenant=acme failed")
                      .doesNotContain(SECRET));
    } finally {
      sender.close();
    }
  }

  @Test
  void userInfoIsRefusedWithoutPrintingIt() {
    assertThatThrownBy(
            () ->
                OtlpHttpSender.builder()
                    .endpoint(URI.create("http://alice:" + SECRET + "@127.0.0.1:1/v1/traces")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint: 'http://***@127.0.0.1:1/v1/traces' carries user:password@")
        .hasMessageNotContaining(SECRET);
  }
}
