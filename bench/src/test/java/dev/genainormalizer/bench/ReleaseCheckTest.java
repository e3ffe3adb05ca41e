package dev.genainormalizer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReleaseCheckTest {

  @Test
  void ratioAtTheBoundPasses() {
    assertThat(new ReleaseCheck(60, false).failure("batching on", 60.0, 0)).isEmpty();
  }

  @Test
  void ratioOverTheBoundFailsWithOneLineNamingRunRatioAndBound() {
    assertThat(new ReleaseCheck(60, false).failure("batching on", 61.04, 0))
        .hasValue(
            "batching on: the service spends 61.0 times the protobuf floor per span (bound: 60)");
  }

  @Test
  void aRatioThatCouldNotBeMeasuredFails() {
    assertThat(new ReleaseCheck(60, false).failure("batching on", Double.NaN, 0)).isPresent();
  }

  @Test
  void shedSpansPassUnlessNoShedIsAsked() {
    assertThat(new ReleaseCheck(60, false).failure("batching off", 10, 1234)).isEmpty();
    assertThat(new ReleaseCheck(60, true).failure("batching off", 10, 1234))
        .hasValue(
            "batching off: the exporter shed 1234 spans in the measured phase (--check-no-shed)");
    assertThat(new ReleaseCheck(0, true).failure("batching off", 500, 0)).isEmpty();
  }

  @Test
  void withoutBoundOrNoShedTheCheckIsOff() {
    assertThat(new ReleaseCheck(0, false).enabled()).isFalse();
    assertThat(new ReleaseCheck(0, false).failure("batching on", 1e9, 1e9)).isEmpty();
    assertThat(new ReleaseCheck(6, false).enabled()).isTrue();
    assertThat(new ReleaseCheck(0, true).enabled()).isTrue();
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> new ReleaseCheck(-1, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--check");
  }
}
