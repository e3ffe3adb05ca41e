package dev.genainormalizer.processor.kong;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.ComponentKind;
import dev.genainormalizer.config.ComponentRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KongProcessorConfigTest {

  @Test
  void defaults() {
    final KongProcessorConfig config = new KongProcessorFactory().defaultConfig();
    assertThat(config.dropSpanNames()).containsExactly("regex:kong", "kong.");
    assertThat(config.traceWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.maxPendingTraces()).isEqualTo(10_000);
    assertThat(config.maxPendingBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.validate()).isEmpty();
  }

  @Test
  void nullFieldsTakeDefaults() {
    final KongProcessorConfig config = new KongProcessorConfig(null, null, 5, 100);
    assertThat(config.dropSpanNames()).isEqualTo(KongProcessorConfig.DEFAULT_DROP_SPAN_NAMES);
    assertThat(config.traceWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.validate()).isEmpty();
  }

  @Test
  void defaultNamesMatchExactlyKongAndKongDotPrefix() {
    final SpanNameMatcher matcher =
        new SpanNameMatcher(KongProcessorConfig.DEFAULT_DROP_SPAN_NAMES);
    assertThat(matcher.matches("kong")).isTrue();
    assertThat(matcher.matches("kong.balancer")).isTrue();
    assertThat(matcher.matches("kong.access.plugin.ai-proxy")).isTrue();
    assertThat(matcher.matches("kongfoo")).isFalse();
    assertThat(matcher.matches("kong_gateway")).isFalse();
    assertThat(matcher.matches("my.kong")).isFalse();
    assertThat(matcher.matches("chat gpt-4o-mini")).isFalse();
    assertThat(matcher.matches("")).isFalse();
  }

  @Test
  void regexEntriesMatchTheWholeName() {
    final SpanNameMatcher matcher =
        new SpanNameMatcher(List.of("regex:gw\\.(router|dns)", "edge-"));
    assertThat(matcher.matches("gw.router")).isTrue();
    assertThat(matcher.matches("gw.router.x")).isFalse();
    assertThat(matcher.matches("x.gw.dns")).isFalse();
    assertThat(matcher.matches("edge-anything")).isTrue();
  }

  @Test
  void rejectsInvalidRegexNamingTheIndex() {
    final KongProcessorConfig config =
        new KongProcessorConfig(List.of("kong.", "regex:kong(", "regex:"), Duration.ZERO, 1, 1);
    assertThat(config.validate())
        .containsExactly(
            "drop_span_names[1]: invalid regex 'kong(' (Unclosed group near index 5)",
            "drop_span_names[2]: empty regex (expected: regex:<pattern>)");
  }

  @Test
  void rejectsEmptyAndNullEntries() {
    final KongProcessorConfig config =
        new KongProcessorConfig(Arrays.asList("", null), Duration.ofSeconds(1), 1, 1);
    assertThat(config.validate())
        .containsExactly(
            "drop_span_names[0]: empty (expected: a name prefix or regex:<pattern>)",
            "drop_span_names[1]: empty (expected: a name prefix or regex:<pattern>)");
  }

  @Test
  void rejectsNegativeWaitAndNonPositiveLimits() {
    final KongProcessorConfig config =
        new KongProcessorConfig(List.of(), Duration.ofMillis(-1), 0, 0);
    assertThat(config.validate())
        .containsExactly(
            "trace_wait: PT-0.001S (expected: >= 0)",
            "max_pending_traces: 0 (expected: >= 1)",
            "max_pending_bytes: 0 (expected: >= 1)");
  }

  @Test
  void zeroWaitAndEmptyNameListAreValid() {
    assertThat(new KongProcessorConfig(List.of(), Duration.ZERO, 1, 1).validate()).isEmpty();
  }

  @Test
  void factoryIsRegisteredAsService() {
    assertThat(ComponentRegistry.loadInstalled().find(ComponentKind.PROCESSOR, "kong"))
        .get()
        .isInstanceOf(KongProcessorFactory.class);
  }
}
