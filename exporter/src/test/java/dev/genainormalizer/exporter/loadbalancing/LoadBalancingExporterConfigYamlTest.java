package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.QueueConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.exporter.helper.Compression;
import dev.genainormalizer.exporter.loadbalancing.LoadBalancingExporterConfig.Dns;
import dev.genainormalizer.exporter.testing.Yaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancingExporterConfigYamlTest {
  private static final LoadBalancingExporterFactory FACTORY = new LoadBalancingExporterFactory();

  @Test
  void dnsWithEveryOtlpKey() throws Exception {
    final LoadBalancingExporterConfig c =
        Yaml.load(FACTORY, getClass(), "dns.yaml", Map.of("TENANT", "acme"));
    assertThat(c.routingKey()).isEqualTo("traceID");
    assertThat(c.protocol().otlp().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.protocol().otlp().compression()).isEqualTo(Compression.NONE);
    assertThat(c.protocol().otlp().headers())
        .isEqualTo(Map.of("x-scope-orgid", new Secret("acme")));
    assertThat(c.protocol().otlp().sendingQueue()).isEqualTo(new QueueConfig(10, 1));
    assertThat(c.resolver().staticResolver()).isNull();
    assertThat(c.resolver().dns())
        .isEqualTo(
            new Dns(
                "genai-normalizer-normalizer-headless",
                4317,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
  }

  @Test
  void staticHostnames() throws Exception {
    final LoadBalancingExporterConfig c = Yaml.load(FACTORY, getClass(), "static.yaml", Map.of());
    assertThat(c.resolver().staticResolver().hostnames())
        .containsExactly("10.0.0.1:4317", "10.0.0.2:4317");
    assertThat(c.resolver().dns()).isNull();
    assertThat(c.protocol().otlp()).isEqualTo(LoadBalancingExporterConfig.Otlp.defaults());
  }

  @Test
  void exactlyOneResolver() {
    assertThat(Yaml.errors(FACTORY, getClass(), "both.yaml"))
        .singleElement()
        .asString()
        .contains("resolver")
        .contains("both set");
    assertThat(Yaml.errors(FACTORY, getClass(), "neither.yaml"))
        .singleElement()
        .asString()
        .contains("resolver")
        .contains("exactly one");
  }

  @Test
  void routingKeyAndHostnamesAreChecked() {
    final List<String> errors = Yaml.errors(FACTORY, getClass(), "bad_routing_key.yaml");
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("routing_key").contains("traceID"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("hostnames").contains("'10.0.0.1'"));
  }

  @Test
  void userInfoInAStaticHostnameIsRefusedWithoutPrintingIt() {
    assertThat(
            new LoadBalancingExporterConfig.Static(List.of("alice:pw-7731@10.0.0.1:4317"))
                .validate())
        .singleElement()
        .asString()
        .contains("hostnames: '***@10.0.0.1:4317' carries user:password@")
        .contains("protocol.otlp.headers")
        .doesNotContain("pw-7731");
  }
}
