package dev.genainormalizer.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.RetryConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.confighttp.HttpClientSettings;
import dev.genainormalizer.exporter.helper.Compression;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterConfigTest {
  private static OtlpHttpExporterConfig endpoints(String endpoint, String tracesEndpoint) {
    return new OtlpHttpExporterConfig(
        new HttpClientSettings(endpoint, null, null, null, null, null, null),
        tracesEndpoint,
        null,
        null,
        null);
  }

  @Test
  void defaults() {
    final OtlpHttpExporterConfig d = OtlpHttpExporterConfig.defaults();

    assertThat(d.encoding()).isEqualTo(Encoding.PROTO);
    assertThat(d.http().compression()).isEqualTo(Compression.GZIP);
    assertThat(d.http().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.http().headers()).isEmpty();
    assertThat(d.http().retryOnFailure()).isEqualTo(RetryConfig.defaults());
    assertThat(d.http().sendingQueue()).isEqualTo(QueueConfig.defaults());
    assertThat(d.validate()).containsExactly("endpoint: required (or traces_endpoint)");
  }

  @Test
  void appendsTheTracesPathToEndpoint() {
    assertThat(endpoints("http://phoenix:6006", "").tracesUri())
        .isEqualTo(URI.create("http://phoenix:6006/v1/traces"));
    assertThat(endpoints("https://acme.example/otel/", "").tracesUri())
        .isEqualTo(URI.create("https://acme.example/otel/v1/traces"));
  }

  @Test
  void tracesEndpointOverridesEndpoint() {
    final OtlpHttpExporterConfig c =
        endpoints("http://a:4318", "https://b.example/api/public/otel/v1/traces");

    assertThat(c.validate()).isEmpty();
    assertThat(c.tracesUri()).isEqualTo(URI.create("https://b.example/api/public/otel/v1/traces"));
  }

  @Test
  void rejectsWhatIsNotAnHttpUrl() {
    assertThat(endpoints("phoenix:6006", "").validate())
        .containsExactly("endpoint: 'phoenix:6006' (expected: an http:// or https:// URL)");
    assertThat(endpoints("", "ftp://x/y").validate())
        .containsExactly("traces_endpoint: 'ftp://x/y' (expected: an http:// or https:// URL)");
    assertThat(endpoints("http://", "").validate())
        .singleElement()
        .asString()
        .startsWith("endpoint: 'http://'");
    assertThat(endpoints("http://bad host", "").validate())
        .singleElement()
        .asString()
        .startsWith("endpoint:");
  }

  @Test
  void rejectsANonPositiveTimeoutAndBadHeaderNames() {
    final OtlpHttpExporterConfig c =
        new OtlpHttpExporterConfig(
            new HttpClientSettings(
                "http://a:4318",
                Map.of("bad name", new Secret("x")),
                null,
                Duration.ZERO,
                null,
                null,
                null),
            null,
            null,
            null,
            null);

    assertThat(c.validate())
        .containsExactly(
            "timeout: PT0S (expected: > 0)", "headers: 'bad name' (expected: an HTTP header name)");
  }

  @Test
  void toStringNeverShowsHeaderValues() {
    final OtlpHttpExporterConfig c =
        new OtlpHttpExporterConfig(
            new HttpClientSettings(
                "http://a:4318",
                Map.of("authorization", new Secret("Bearer abc")),
                null,
                null,
                null,
                null,
                null),
            null,
            null,
            null,
            null);

    assertThat(c.toString()).doesNotContain("Bearer abc");
  }

  @Test
  void builderChecksArgumentsAtOnce() {
    assertThatThrownBy(() -> OtlpHttpSender.builder().endpoint(URI.create("ftp://x/y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: ftp://x/y (expected: an http:// or https:// URL with a host)");
    assertThatThrownBy(() -> OtlpHttpSender.builder().timeout(Duration.ofSeconds(-1)))
        .hasMessage("timeout: PT-1S (expected: > 0)");
    assertThatThrownBy(() -> OtlpHttpSender.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endpoint: not set");
    assertThatThrownBy(() -> OtlpHttpSender.builder().addHeader(" ", new Secret("x")))
        .hasMessageContaining("name:");
  }
}
