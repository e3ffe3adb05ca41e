package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLoggerTest {

  @Test
  void logsOncePerIntervalAndCountsWhatItLeftOut() {
    final Logger logger = (Logger) LoggerFactory.getLogger("throttled-logger-test");
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    final AtomicLong now = new AtomicLong(1_000);
    final ThrottledLogger log = new ThrottledLogger(logger, Duration.ofSeconds(10), now::get);

    log.warn("bad request {}", 1);
    log.warn("bad request {}", 2);
    log.warn("bad request {}", 3);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    log.warn("bad request {}", 4, new IllegalStateException("cause"));

    assertThat(appender.list).hasSize(2);
    assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("bad request 1");
    assertThat(appender.list.get(1).getFormattedMessage())
        .isEqualTo("bad request 4 (2 similar warnings suppressed)");
    assertThat(appender.list.get(1).getThrowableProxy().getMessage()).isEqualTo("cause");
  }
}
