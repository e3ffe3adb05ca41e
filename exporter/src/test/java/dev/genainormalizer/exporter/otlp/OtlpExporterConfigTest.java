package dev.genainormalizer.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpExporterConfigTest {
  @Test
  void defaults() {
    final OtlpExporterConfig d = OtlpExporterConfig.defaults();

    assertThat(d.compression()).isEqualTo(Compression.GZIP);
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.retryOnFailure()).isEqualTo(RetryConfig.defaults());
    assertThat(d.sendingQueue()).isEqualTo(QueueConfig.defaults());
    assertThat(d.validate())
        .containsExactly("endpoint: required (expected: host:port or http(s)://host:port)");
  }

  @ParameterizedTest
  @CsvSource({
    "collector:4317, http://collector:4317",
    "http://collector:4317, http://collector:4317",
    "https://collector.example:443, https://collector.example:443",
    "HTTPS://collector.example:443/, https://collector.example:443",
    "[::1]:4317, http://[::1]:4317",
  })
  void readsEndpoints(String endpoint, String uri) {
    assertThat(GrpcEndpoint.parse(endpoint)).isEqualTo(URI.create(uri));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "collector",
        "collector:0",
        "collector:99999",
        "http://collector:4317/v1/traces",
        "ftp://collector:21"
      })
  void rejectsBadEndpoints(String endpoint) {
    final OtlpExporterConfig c =
        new OtlpExporterConfig(endpoint, null, null, null, null, null, null, null, null);

    assertThat(c.validate())
        .singleElement()
        .asString()
        .startsWith("endpoint: '" + endpoint + "' (expected: host:port or http(s)://host:port");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user@collector:4317", "user:pw-5150@collector:4317"})
  void rejectsUserInfoSayingWhereCredentialsGo(String endpoint) {
    final OtlpExporterConfig c =
        new OtlpExporterConfig(endpoint, null, null, null, null, null, null, null, null);

    assertThat(c.validate())
        .singleElement()
        .asString()
        .contains("carries user:password@")
        .contains("set them in headers")
        .contains("***@collector:4317")
        .doesNotContain("user@")
        .doesNotContain("pw-5150");
  }

  @Test
  void rejectsBadMetadataKeysAndTimeout() {
    final OtlpExporterConfig c =
        new OtlpExporterConfig(
            "collector:4317",
            null,
            Map.of("Authorization", new Secret("x")),
            Duration.ofSeconds(-1),
            null,
            null,
            null,
            null,
            null);

    assertThat(c.validate())
        .containsExactly(
            "timeout: PT-1S (expected: > 0)",
            "headers: 'Authorization' (expected: lowercase gRPC metadata key of [a-z0-9-_.], not starting with grpc-)");
  }

  @Test
  void builderChecksArgumentsAtOnce() {
    assertThatThrownBy(() -> OtlpGrpcSender.builder().endpoint("collector"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("endpoint: 'collector' (expected: host:port");
    assertThatThrownBy(() -> OtlpGrpcSender.builder().timeout(Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> OtlpGrpcSender.builder().build())
        .hasMessageContaining("endpoint: not set");
  }
}
