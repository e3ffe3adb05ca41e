package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeReaderTest {
  private final AttributeReader reader = new AttributeReader(List.of("model", "tokens", "absent"));

  @Test
  void readsEachKeyOnceWithTheFirstValueOfARepeatedKey() {
    final AttributeReader.Values values =
        reader.read(
            List.of(
                kv("other", AnyValue.newBuilder().setStringValue("x").build()),
                kv("model", AnyValue.newBuilder().setStringValue("gpt-4o").build()),
                kv("tokens", AnyValue.newBuilder().setDoubleValue(25).build()),
                kv("model", AnyValue.newBuilder().setStringValue("second").build())));
    assertThat(values.text("model")).isEqualTo("gpt-4o");
    assertThat(values.text("tokens")).isEqualTo("25");
    assertThat(values.number("tokens")).isEqualTo(25);
    assertThat(values.text("absent")).isEmpty();
    assertThat(values.number("absent")).isNaN();
    assertThat(values.number("model")).isNaN();
  }

  @Test
  void aKeyTheReaderWasNotBuiltForIsAMistake() {
    assertThatThrownBy(() -> reader.read(List.of()).text("other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other");
    assertThatThrownBy(() -> new AttributeReader(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a");
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}
