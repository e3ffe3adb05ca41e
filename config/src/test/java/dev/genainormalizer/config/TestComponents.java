package dev.genainormalizer.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small test-only components whose records exercise every kind of field the loader binds. */
final class TestComponents {
  private TestComponents() {}

  static ComponentRegistry registry() {
    return ComponentRegistry.of(
        List.of(
            new TestFactory<>(
                ComponentKind.RECEIVER,
                "test_receiver",
                TestReceiverConfig.class,
                TestReceiverConfig.defaults()),
            new TestFactory<>(
                ComponentKind.PROCESSOR,
                "test_processor",
                TestProcessorConfig.class,
                TestProcessorConfig.defaults()),
            new TestFactory<>(ComponentKind.PROCESSOR, "noop", NoopConfig.class, new NoopConfig()),
            new TestFactory<>(
                ComponentKind.EXPORTER,
                "test_exporter",
                TestExporterConfig.class,
                TestExporterConfig.defaults()),
            new TestFactory<>(
                ComponentKind.EXPORTER, "debug", NoopConfig.class, new NoopConfig())));
  }

  static final class TestFactory<C extends Record> implements ComponentFactory<C> {
    private final ComponentKind kind;
    private final String type;
    private final Class<C> configType;
    private final C defaults;

    TestFactory(ComponentKind kind, String type, Class<C> configType, C defaults) {
      this.kind = kind;
      this.type = type;
      this.configType = configType;
      this.defaults = defaults;
    }

    @Override
    public ComponentKind kind() {
      return kind;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public Class<C> configType() {
      return configType;
    }

    @Override
    public C defaultConfig() {
      return defaults;
    }
  }

  record NoopConfig() {}

  record EndpointConfig(String endpoint, int maxRecvMsgSizeMib) {}

  record ProtocolsConfig(EndpointConfig grpc, EndpointConfig http) {}

  record TestReceiverConfig(ProtocolsConfig protocols, Map<String, String> labels) {
    static TestReceiverConfig defaults() {
      return new TestReceiverConfig(
          new ProtocolsConfig(
              new EndpointConfig("0.0.0.0:4317", 4), new EndpointConfig("0.0.0.0:4318", 4)),
          Map.of("a", "1"));
    }

    TestReceiverConfig {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  enum Mode {
    LENIENT,
    STRICT
  }

  record TestProcessorConfig(List<String> dropSpanNames, Duration traceWait, Mode mode)
      implements Validatable {
    static TestProcessorConfig defaults() {
      return new TestProcessorConfig(List.of("kong"), Duration.ofSeconds(2), Mode.LENIENT);
    }

    TestProcessorConfig {
      dropSpanNames = dropSpanNames == null ? List.of() : List.copyOf(dropSpanNames);
    }

    /** Not a config key: the mapper must not treat helper methods as properties. */
    public boolean isStrict() {
      return mode == Mode.STRICT;
    }

    @Override
    public List<String> validate() {
      return traceWait.isNegative()
          ? List.of("trace_wait: " + traceWait + " (expected: >= 0)")
          : List.of();
    }
  }

  record TestExporterConfig(
      String endpoint,
      Duration timeout,
      Secret apiKey,
      Map<String, Secret> headers,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue,
      List<String> tags,
      int batchSize,
      boolean compression,
      Duration tokenRefresh,
      ByteSize maxPayload)
      implements Validatable {

    static TestExporterConfig defaults() {
      return new TestExporterConfig(
          "",
          Duration.ofSeconds(5),
          new Secret(""),
          Map.of("x-default", new Secret("d")),
          RetryConfig.defaults(),
          QueueConfig.defaults(),
          List.of("default-tag"),
          100,
          true,
          Duration.ofMinutes(5),
          ByteSize.parse("4MiB"));
    }

    TestExporterConfig {
      retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
      sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      tags = tags == null ? List.of() : List.copyOf(tags);
    }

    TestExporterConfig withEndpoint(String newEndpoint) {
      return new TestExporterConfig(
          newEndpoint,
          timeout,
          apiKey,
          headers,
          retryOnFailure,
          sendingQueue,
          tags,
          batchSize,
          compression,
          tokenRefresh,
          maxPayload);
    }

    @Override
    public List<String> validate() {
      final List<String> errors = new ArrayList<>();
      if (endpoint.isEmpty()) {
        errors.add("endpoint: required");
      }
      if (batchSize < 1) {
        errors.add("batch_size: " + batchSize + " (expected: >= 1)");
      }
      return errors;
    }
  }
}
