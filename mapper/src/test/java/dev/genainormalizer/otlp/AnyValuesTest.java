package dev.genainormalizer.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyValuesTest {
  @Test
  void integersAreReadFromEveryEncodingSendersUse() {
    assertThat(AnyValues.asLong(AnyValues.ofLong(25))).hasValue(25);
    // Kong writes token counts and status codes as doubles
    assertThat(AnyValues.asLong(AnyValues.ofDouble(25.0))).hasValue(25);
    assertThat(AnyValues.asLong(AnyValues.ofDouble(24.6))).hasValue(25);
    assertThat(AnyValues.asLong(AnyValues.ofString(" 500 "))).hasValue(500);
    assertThat(AnyValues.asLong(AnyValues.ofString("1.0e3"))).hasValue(1000);
    assertThat(AnyValues.asLong(AnyValues.ofDouble(Double.NaN))).isEmpty();
    assertThat(AnyValues.asLong(AnyValues.ofString("many"))).isEmpty();
    assertThat(AnyValues.asLong(AnyValues.ofString(""))).isEmpty();
    assertThat(AnyValues.asLong((AnyValue) null)).isEmpty();
    assertThat(AnyValues.longOrNull(List.of(kv("try_count", AnyValues.ofDouble(2))), "try_count"))
        .isEqualTo(2L);
    assertThat(AnyValues.longOrNull(List.of(), "try_count")).isNull();
  }

  @Test
  void doublesAreFiniteOrAbsent() {
    assertThat(AnyValues.asDouble(AnyValues.ofString("0.25"))).hasValue(0.25);
    assertThat(AnyValues.asDouble(AnyValues.ofLong(3))).hasValue(3.0);
    assertThat(AnyValues.asDouble(AnyValues.ofDouble(Double.POSITIVE_INFINITY))).isEmpty();
    assertThat(AnyValues.asDouble(AnyValues.ofString("Infinity"))).isEmpty();
  }

  @Test
  void stringsAreOnlyNonEmptyStringValues() {
    assertThat(AnyValues.string(AnyValues.ofString("gpt-4o"))).isEqualTo("gpt-4o");
    assertThat(AnyValues.string(AnyValues.ofString(""))).isNull();
    assertThat(AnyValues.string(AnyValues.ofLong(1))).isNull();
    assertThat(AnyValues.string(List.of(kv("a", AnyValues.ofString("x"))), "b")).isNull();
  }

  @Test
  void scalarTextWritesNumbersPlainly() {
    assertThat(AnyValues.scalarText(AnyValues.ofDouble(1.50))).hasValue("1.5");
    assertThat(AnyValues.scalarText(AnyValues.ofDouble(1e21))).hasValue("1000000000000000000000");
    assertThat(AnyValues.scalarText(AnyValues.ofLong(7))).hasValue("7");
    assertThat(AnyValues.scalarText(AnyValue.newBuilder().setBoolValue(true).build()))
        .hasValue("true");
    assertThat(AnyValues.scalarText(AnyValues.ofStrings(List.of("a")))).isEmpty();
    assertThat(AnyValues.scalarText(List.of(kv("n", AnyValues.ofDouble(2.0))), "n")).hasValue("2");
    assertThat(AnyValues.scalarText(List.of(), "n")).isEmpty();
  }

  @Test
  void stringListsComeFromArraysJsonArraysOrOneString() {
    assertThat(AnyValues.asStringList(AnyValues.ofStrings(List.of("stop", "length"))))
        .hasValue(List.of("stop", "length"));
    assertThat(AnyValues.asStringList(AnyValues.ofString("[\"stop\", 1, null]")))
        .hasValue(List.of("stop", "1"));
    assertThat(AnyValues.asStringList(AnyValues.ofString("stop"))).hasValue(List.of("stop"));
    assertThat(AnyValues.asStringList(AnyValues.ofString(""))).hasValue(List.of());
    assertThat(AnyValues.asStringList(AnyValues.ofString("[not json"))).isEmpty();
    assertThat(AnyValues.asStringList(AnyValues.ofString("[".repeat(100) + "]".repeat(100))))
        .as("too deep to parse")
        .isEmpty();
    assertThat(AnyValues.asStringList(AnyValues.ofLong(1))).isEmpty();
  }

  @Test
  void structuresBecomeTheJsonTheyStandFor() {
    final AnyValue value =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("n", AnyValues.ofLong(1)))
                    .addValues(
                        kv(
                            "list",
                            AnyValue.newBuilder()
                                .setArrayValue(
                                    ArrayValue.newBuilder()
                                        .addValues(AnyValues.ofString("a"))
                                        .addValues(AnyValues.ofDouble(0.5)))
                                .build())))
            .build();
    assertThat(AnyValues.toJson(value).toString()).isEqualTo("{\"n\":1,\"list\":[\"a\",0.5]}");
  }

  @Test
  void displayShowsStructuresInlineAndBytesBySize() {
    final AnyValue list =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("a", AnyValues.ofStrings(List.of("x", "y"))))
                    .addValues(
                        kv(
                            "b",
                            AnyValue.newBuilder()
                                .setBytesValue(com.google.protobuf.ByteString.copyFrom(new byte[3]))
                                .build())))
            .build();
    assertThat(AnyValues.display(list)).isEqualTo("{a=[x, y], b=<3 bytes>}");
  }

  private static KeyValue kv(String key, AnyValue value) {
    return AnyValues.keyValue(key, value);
  }
}
