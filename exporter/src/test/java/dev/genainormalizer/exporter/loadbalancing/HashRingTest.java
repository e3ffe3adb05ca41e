package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashRingTest {
  private static final int TRACES = 20_000;

  private static List<byte[]> traceIds() {
    final Random random = new Random(42);
    final List<byte[]> ids = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      final byte[] id = new byte[16];
      random.nextBytes(id);
      ids.add(id);
    }
    return ids;
  }

  @Test
  void spreadsTracesEvenlyAndIgnoresOrder() {
    final HashRing ring = new HashRing(List.of("a:4317", "b:4317", "c:4317"));
    final HashRing reordered = new HashRing(List.of("c:4317", "a:4317", "b:4317"));
    final Map<String, Integer> counts = new HashMap<>();
    for (byte[] id : traceIds()) {
      final String owner = ring.endpointFor(id);
      assertThat(reordered.endpointFor(id)).isEqualTo(owner);
      counts.merge(owner, 1, Integer::sum);
    }
    System.out.println("HashRingTest distribution over 3 endpoints: " + counts);
    assertThat(counts).hasSize(3);
    // 150 virtual nodes each: every share within 20% of the fair 1/3
    counts
        .values()
        .forEach(n -> assertThat(n).isBetween((int) (TRACES / 3 * 0.8), (int) (TRACES / 3 * 1.2)));
  }

  @Test
  void addingOrRemovingOneOfNMovesAboutOneNth() {
    final HashRing three = new HashRing(List.of("a:4317", "b:4317", "c:4317"));
    final HashRing four = new HashRing(List.of("a:4317", "b:4317", "c:4317", "d:4317"));
    final HashRing two = new HashRing(List.of("a:4317", "c:4317"));
    int movedOnAdd = 0;
    int movedOnRemove = 0;
    for (byte[] id : traceIds()) {
      final String before = three.endpointFor(id);
      final String added = four.endpointFor(id);
      if (!added.equals(before)) {
        movedOnAdd++;
        assertThat(added).as("only the new endpoint takes traces").isEqualTo("d:4317");
      }
      final String removed = two.endpointFor(id);
      if (!removed.equals(before)) {
        movedOnRemove++;
        assertThat(before).as("only the removed endpoint's traces move").isEqualTo("b:4317");
      }
    }
    System.out.printf(
        "HashRingTest moved on add: %d/%d, on remove: %d/%d%n",
        movedOnAdd, TRACES, movedOnRemove, TRACES);
    assertThat(movedOnAdd).isBetween((int) (TRACES / 4 * 0.7), (int) (TRACES / 4 * 1.3));
    assertThat(movedOnRemove).isBetween((int) (TRACES / 3 * 0.7), (int) (TRACES / 3 * 1.3));
  }

  @Test
  void emptyRingOwnsNothing() {
    assertThat(new HashRing(List.of()).endpointFor(new byte[16])).isNull();
    assertThat(new HashRing(List.of("only:1")).endpointFor(new byte[16])).isEqualTo("only:1");
  }
}
