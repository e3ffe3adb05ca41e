package dev.genainormalizer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufFloorTest {

  @Test
  void spansPerCpuSecondDividesSpansByCpuSeconds() {
    assertThat(ProtobufFloor.spansPerCpuSecond(1_200_000, 2_000_000_000L))
        .isCloseTo(600_000, within(1e-6));
  }

  @Test
  void noCpuTimeIsAnErrorNotAnInfiniteFloor() {
    assertThatThrownBy(() -> ProtobufFloor.spansPerCpuSecond(90, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CPU time");
  }

  @Test
  void refusesBodiesWithoutSpans() {
    assertThatThrownBy(() -> new ProtobufFloor(List.of(), 90))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProtobufFloor(List.of(new byte[0]), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratioIsServiceCpuPerSpanOverFloorCpuPerSpan() {
    // floor 1.2 M spans/CPU-s (0.83 µs a span), service 20 k (50 µs a span): 60 times
    final FloorComparison comparison = new FloorComparison(1_200_000, 1_000_000, 20_000);
    assertThat(comparison.ratio()).isCloseTo(60, within(1e-9));
  }

  @Test
  void theFloorIsTheFasterOfBeforeAndAfter() {
    assertThat(new FloorComparison(900_000, 1_100_000, 1).floorSpansPerCpuSecond())
        .isEqualTo(1_100_000);
    assertThat(new FloorComparison(1_100_000, 900_000, 1).floorSpansPerCpuSecond())
        .isEqualTo(1_100_000);
  }
}
