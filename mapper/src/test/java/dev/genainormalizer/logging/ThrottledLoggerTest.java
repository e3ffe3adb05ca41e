package dev.genainormalizer.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;

class ThrottledLoggerTest {
  private final MockClock clock = new MockClock();

  @Test
  void letsOneMessageThroughPerIntervalAndCountsTheOthers() {
    final ThrottledLogger log =
        new ThrottledLogger(new SubstituteLogger("t", null, true), clock, Duration.ofSeconds(10));

    assertThat(log.tryLog()).isZero();
    assertThat(log.tryLog()).isEqualTo(-1);
    assertThat(log.tryLog()).isEqualTo(-1);
    clock.add(9, TimeUnit.SECONDS);
    assertThat(log.tryLog()).isEqualTo(-1);
    clock.add(1, TimeUnit.SECONDS);
    assertThat(log.tryLog()).isEqualTo(3);
    assertThat(log.tryLog()).isEqualTo(-1);
  }

  @Test
  void warnAppendsHowManyWereHeldBackAndKeepsTheCause() {
    final java.util.concurrent.LinkedBlockingQueue<SubstituteLoggingEvent> events =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final SubstituteLogger logger = new SubstituteLogger("t", events, false);
    final ThrottledLogger log = new ThrottledLogger(logger, clock, Duration.ofSeconds(10));

    log.warn("bad request {}", 1);
    log.warn("bad request {}", 2);
    log.warn("bad request {}", 3);
    clock.add(10, TimeUnit.SECONDS);
    log.warn("bad request {}", 4, new IllegalStateException("cause"));

    final List<String> messages = new ArrayList<>();
    for (SubstituteLoggingEvent e : events) {
      messages.add(MessageFormatter.basicArrayFormat(e.getMessage(), e.getArgumentArray()));
    }
    assertThat(messages)
        .containsExactly("bad request 1", "bad request 4 (2 similar messages suppressed)");
    assertThat(new ArrayList<>(events).get(1).getThrowable()).hasMessage("cause");
  }
}
