package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Squash}: an embedded record's keys are written, reported and validated as the block's own.
 */
class SquashTest {
  private static final String SECRET = "tok-5ecret-91";

  /** Shared client settings, embedded by {@link VendorConfig}; validated by their own record. */
  record ClientSettings(
      String endpoint, Map<String, Secret> headers, Duration timeout, RetryConfig retryOnFailure)
      implements Validatable {
    ClientSettings {
      endpoint = endpoint == null ? "" : endpoint;
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
      retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (timeout.isZero()) {
        errors.add("timeout: 0s (expected: > 0)");
      }
      headers.forEach(
          (name, value) -> {
            if (value.value().contains("\n")) {
              errors.add("headers." + name + ": contains a line break (value not shown)");
            }
          });
      return errors;
    }
  }

  record VendorConfig(@Squash ClientSettings client, String project, Secret apiKey)
      implements Validatable {
    VendorConfig {
      client = client == null ? new ClientSettings(null, null, null, null) : client;
      project = project == null ? "default" : project;
      apiKey = apiKey == null ? new Secret("") : apiKey;
    }

    @Override
    public List<String> validate() {
      return apiKey.isEmpty() ? List.of("api_key: required") : List.of();
    }
  }

  /** Its embedded record has a key of the enclosing one: a defect in the component. */
  record ClashingConfig(@Squash ClientSettings client, String timeout) {}

  private static final TestComponents.TestFactory<VendorConfig> FACTORY =
      new TestComponents.TestFactory<>(
          ComponentKind.EXPORTER, "vendor", VendorConfig.class, new VendorConfig(null, null, null));
  private final ConfigLoader loader = new ConfigLoader(ComponentRegistry.of(List.of(FACTORY)));

  private VendorConfig load(String yaml) throws ConfigException {
    return loader.loadComponent(FACTORY, yaml, Map.of("TOKEN", SECRET));
  }

  private List<String> errors(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain(SECRET);
      return e.errors().stream().map(ConfigError::toString).toList();
    }
    throw new AssertionError("loaded without errors:\n" + yaml);
  }

  @Test
  void embeddedKeysAreWrittenFlatBesideTheBlocksOwnAndKeepTheirDefaults() throws Exception {
    final VendorConfig c =
        load(
            """
        endpoint: https://vendor.example
        timeout: 5s
        headers:
          x-team: ${env:TOKEN}
        retry_on_failure:
          max_elapsed_time: 1m
        api_key: ${env:TOKEN}
        """);

    assertThat(c.client().endpoint()).isEqualTo("https://vendor.example");
    assertThat(c.client().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.client().headers()).containsExactly(Map.entry("x-team", new Secret(SECRET)));
    assertThat(c.client().retryOnFailure().maxElapsedTime()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.client().retryOnFailure().initialInterval())
        .isEqualTo(RetryConfig.defaults().initialInterval());
    assertThat(c.project()).isEqualTo("default");
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  @Test
  void anUnknownKeyIsNamedFlatAndTheKnownKeysIncludeTheEmbeddedOnes() {
    assertThat(errors("timout: 5s\napi_key: k\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "exporters.vendor.timout: unknown key (expected one of: api_key, endpoint, headers, project,"
                + " retry_on_failure, timeout) (line 1)");
  }

  @Test
  void theEmbeddedRecordsOwnNameIsNotAKey() {
    assertThat(errors("client:\n  timeout: 5s\napi_key: k\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "exporters.vendor.client: unknown key (expected one of: api_key, endpoint, headers, project,"
                + " retry_on_failure, timeout) (line 1)");
  }

  @Test
  void aBadEmbeddedValueIsReportedAtItsFlatPathWithTheOtherProblems() {
    assertThat(
            errors(
                """
        timeout: soon
        retry_on_failure:
          enabled: maybe
        headers:
          authorization:
            - ${env:TOKEN}
        project: p
        api_key: k
        """))
        .containsExactly(
            "exporters.vendor.timeout: expected a duration such as 250ms, 5s, 1m30s or 1h, got 'soon' (line 1)",
            "exporters.vendor.retry_on_failure.enabled: expected true or false, got 'maybe' (line 3)",
            "exporters.vendor.headers.authorization: expected a string, got a list (line 5)");
  }

  @Test
  void theEmbeddedRecordIsValidatedAtTheBlocksPathWithoutShowingHeaderValues() {
    assertThat(loaderErrors("timeout: 0s\nheaders:\n  authorization: \"${env:TOKEN}\\nx\"\n"))
        .containsExactlyInAnyOrder(
            "exporters.vendor.api_key: required",
            "exporters.vendor.timeout: 0s (expected: > 0)",
            "exporters.vendor.headers.authorization: contains a line break (value not shown)");
  }

  @Test
  void anEmbeddedKeyThatClashesWithTheEnclosingRecordIsADefectReportedNotThrown() {
    final TestComponents.TestFactory<ClashingConfig> clashing =
        new TestComponents.TestFactory<>(
            ComponentKind.EXPORTER,
            "clash",
            ClashingConfig.class,
            new ClashingConfig(new ClientSettings(null, null, null, null), "x"));

    assertThatThrownBy(
            () ->
                new ConfigLoader(ComponentRegistry.of(List.of(clashing)))
                    .loadComponent(clashing, "endpoint: e\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("exporters.clash: cannot read the defaults of ClashingConfig");
  }

  /** Errors without the line suffix, whose position a validation message does not know. */
  private List<String> loaderErrors(String yaml) {
    return errors(yaml).stream().map(e -> e.replaceAll(" \\(line \\d+\\)$", "")).toList();
  }
}
