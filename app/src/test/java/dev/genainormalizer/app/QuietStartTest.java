package dev.genainormalizer.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.genainormalizer.app.testing.TestConfig;
import dev.genainormalizer.testing.TestTraces;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a clean start and a dry run log: nothing alarming, no exporter lifecycle in a dry run. */
class QuietStartTest {
  private final Capture capture = new Capture();
  private Logger meterRegistryLogger;
  private Level meterRegistryLevel;

  @TempDir Path dir;

  @BeforeEach
  void captureLogs() {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(context);
    capture.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
    // Micrometer logs a double registration at WARN once per JVM and at DEBUG after that: see
    // every one, whichever test ran first in this JVM.
    meterRegistryLogger = context.getLogger(MeterRegistry.class);
    meterRegistryLevel = meterRegistryLogger.getLevel();
    meterRegistryLogger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stopCapturing() {
    meterRegistryLogger.setLevel(meterRegistryLevel);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(capture);
    capture.stop();
  }

  @Test
  void aCleanStartAndStopLogNoWarningAndNoDoubleRegistration() {
    final String yaml =
        TestConfig.builder()
            .http("127.0.0.1:0")
            .grpc("127.0.0.1:0")
            .admin("127.0.0.1:0")
            .processor("kong")
            .processor("genai")
            .exporter("debug")
            .exporter("otlphttp", "endpoint: http://127.0.0.1:9")
            .exporter("otlphttp/second", "endpoint: http://127.0.0.1:9")
            .yaml();
    // Twice in one JVM: meters that land in a process-wide registry would collide the second
    // time.
    for (int i = 0; i < 2; i++) {
      try (RunningService service = new RunningService(yaml)) {
        assertThat(service.address("grpc")).isNotNull();
        assertThat(service.address("http")).isNotNull();
      }
    }

    assertThat(lines(e -> e.getLevel().isGreaterOrEqual(Level.WARN))).isEmpty();
    assertThat(lines(e -> e.getFormattedMessage().contains("already registered"))).isEmpty();
    // the capture works: the service's own lifecycle lines are there
    assertThat(lines(e -> e.getFormattedMessage().startsWith("genai-normalizer ready"))).hasSize(2);
  }

  @Test
  void mapLogsNoExporterLifecycleLines() throws Exception {
    final Path input = dir.resolve("input.json");
    Files.write(input, TestTraces.fixtureBytes("kong-3.13-chat.json"));

    final CliRun r = CliRun.of(null, "map", input.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"exporter\" : \"debug\"");
    assertThat(lines(e -> e.getFormattedMessage().matches("(?s)exporter .* (started|stopped).*")))
        .isEmpty();
    assertThat(lines(e -> e.getLevel().isGreaterOrEqual(Level.WARN))).isEmpty();
  }

  private List<String> lines(java.util.function.Predicate<ILoggingEvent> which) {
    return capture.events.stream()
        .filter(which)
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage())
        .toList();
  }

  /** Every event of any thread; a queue, since servers' threads log while the test reads. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  }
}
