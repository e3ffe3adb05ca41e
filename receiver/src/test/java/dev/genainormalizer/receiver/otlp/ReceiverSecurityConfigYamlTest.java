package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.AuthConfig;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code limits}, {@code auth} and {@code tls} through the real config loader. */
class ReceiverSecurityConfigYamlTest {
  private final OtlpReceiverFactory factory = new OtlpReceiverFactory();
  private final ConfigLoader loader = new ConfigLoader(ComponentRegistry.of(List.of(factory)));

  @Test
  void defaultsAreOffAndTheLimitsAreDocumented() throws Exception {
    final OtlpReceiverConfig c = loader.loadComponent(factory, "", Map.of());
    assertThat(c.limits())
        .isEqualTo(new ReceiverLimits(100_000, 1024, ByteSize.ofBytes(8L << 20), 16));
    assertThat(c.auth().enabled()).isFalse();
    assertThat(c.tls().enabled()).isFalse();
  }

  @Test
  void bindsEveryKey() throws Exception {
    final OtlpReceiverConfig c =
        loader.loadComponent(
            factory,
            """
            limits:
              max_spans_per_request: 10
              max_attribute_value_bytes: 512KiB
              max_anyvalue_depth: 8
            auth:
              bearer_tokens: ["${env:TOKEN}", other]
              basic: { username: kong, password: "${env:PASS}" }
            """,
            Map.of("TOKEN", "t0k3n", "PASS", "pw"));
    assertThat(c.limits()).isEqualTo(new ReceiverLimits(10, 1024, ByteSize.ofBytes(512 * 1024), 8));
    assertThat(c.auth())
        .isEqualTo(
            new AuthConfig(
                List.of(new Secret("t0k3n"), new Secret("other")),
                new AuthConfig.BasicAuth("kong", new Secret("pw"))));
  }

  @Test
  void errorsNameTheKeyAndNeverTheSecret() {
    final List<String> errors =
        errors(
            """
            limits: { max_spans_per_request: 0, max_anyvalue_depth: 31 }
            auth:
              bearer_tokens: ["with space secret", ""]
              basic: { password: hunter2 }
            tls: { key_file: /nonexistent/key.pem }
            """);
    assertThat(String.join("\n", errors))
        .contains("receivers.otlp.limits.max_spans_per_request: 0 (expected: >= 1)")
        .contains("receivers.otlp.limits.max_anyvalue_depth: 31 (expected: >= 1 and <= 30)")
        .contains("receivers.otlp.auth.bearer_tokens[0]: contains a space")
        .contains("receivers.otlp.auth.bearer_tokens[1]: empty")
        .contains("receivers.otlp.auth.basic.username: required when password is set")
        .contains("receivers.otlp.tls.cert_file: required when key_file is set")
        .doesNotContain("with space secret")
        .doesNotContain("hunter2");
  }

  private List<String> errors(String yaml) {
    try {
      loader.loadComponent(factory, yaml, Map.of());
    } catch (ConfigException e) {
      return e.errors().stream().map(Object::toString).toList();
    }
    throw new AssertionError("loaded without errors");
  }
}
