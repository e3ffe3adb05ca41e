package dev.genainormalizer.config.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.genainormalizer.config.ByteSize;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.Secret;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Builds the one {@link ObjectMapper} that binds config trees to records: SNAKE_CASE names, unknown
 * keys fail, no float-to-int truncation, case-insensitive enums, and the config value types ({@link
 * Duration}, {@link Secret}, {@link ComponentId}, {@link ByteSize}) read from and written as
 * strings ({@link Secret} is written as {@code [REDACTED]}).
 *
 * <p>Internal API: may change without notice.
 */
public final class ConfigObjectMapper {
  private ConfigObjectMapper() {}

  public static ObjectMapper create() {
    final SimpleModule module = new SimpleModule("genai-normalizer-config");
    module.addDeserializer(Duration.class, new DurationDeserializer());
    module.addSerializer(
        Duration.class, new ToStringSerializer<>(Duration.class, Durations::format));
    module.addDeserializer(Secret.class, new SecretDeserializer());
    // Written redacted: this mapper may serve to show an effective config. Defaults that hold a
    // secret reach the overlay through RecordTrees, which reads the value itself.
    module.addSerializer(Secret.class, new ToStringSerializer<>(Secret.class, Secret::toString));
    module.addDeserializer(ComponentId.class, new ComponentIdDeserializer());
    module.addSerializer(
        ComponentId.class, new ToStringSerializer<>(ComponentId.class, ComponentId::toString));
    module.addDeserializer(ByteSize.class, new ByteSizeDeserializer());
    module.addSerializer(
        ByteSize.class, new ToStringSerializer<>(ByteSize.class, ByteSize::toString));

    final JsonMapper mapper =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            // Only record components are config keys; a helper such as isSecure() is not.
            .visibility(PropertyAccessor.GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .addModule(module)
            .build();
    // "" for a number, a flag or a block is a mistake, not a zero or a default.
    mapper
        .coercionConfigDefaults()
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      final JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_STRING) {
        final String text = p.getText();
        try {
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          throw ctxt.weirdStringException(text, Duration.class, e.getMessage());
        }
      }
      if (token == JsonToken.VALUE_NUMBER_INT && p.getBigIntegerValue().equals(BigInteger.ZERO)) {
        return Duration.ZERO;
      }
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        throw ctxt.weirdNumberException(
            p.getNumberValue(), Duration.class, "a duration needs a unit");
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }

  private static final class SecretDeserializer extends JsonDeserializer<Secret> {
    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken().isScalarValue()) {
        return new Secret(p.getText());
      }
      return (Secret) ctxt.handleUnexpectedToken(Secret.class, p);
    }
  }

  private static final class ComponentIdDeserializer extends JsonDeserializer<ComponentId> {
    @Override
    public ComponentId deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        return (ComponentId) ctxt.handleUnexpectedToken(ComponentId.class, p);
      }
      final String text = p.getText();
      try {
        return ComponentId.parse(text);
      } catch (IllegalArgumentException e) {
        throw ctxt.weirdStringException(text, ComponentId.class, e.getMessage());
      }
    }
  }

  private static final class ByteSizeDeserializer extends JsonDeserializer<ByteSize> {
    @Override
    public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      final JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT) {
        final BigInteger value = p.getBigIntegerValue();
        if (value.signum() < 0 || value.bitLength() > 63) {
          throw ctxt.weirdNumberException(p.getNumberValue(), ByteSize.class, "out of range");
        }
        return new ByteSize(value.longValue());
      }
      if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_FLOAT) {
        final String text = p.getText();
        try {
          return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
          throw ctxt.weirdStringException(text, ByteSize.class, e.getMessage());
        }
      }
      return (ByteSize) ctxt.handleUnexpectedToken(ByteSize.class, p);
    }
  }

  private static final class ToStringSerializer<T> extends JsonSerializer<T> {
    private final Class<T> type;
    private final java.util.function.Function<T, String> format;

    ToStringSerializer(Class<T> type, java.util.function.Function<T, String> format) {
      this.type = type;
      this.format = format;
    }

    @Override
    public Class<T> handledType() {
      return type;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(format.apply(value));
    }
  }
}
