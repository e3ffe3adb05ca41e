package dev.genainormalizer.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.genainormalizer.config.TelemetryConfig.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code service.telemetry.logs.format} to the stderr appender of logback.xml, once, at
 * start.
 */
final class LogFormatSwitch {
  static final String APPENDER = "STDERR";

  private LogFormatSwitch() {}

  /** Returns false when logging is not logback or the appender is missing (nothing changed). */
  static boolean apply(LogFormat format) {
    if (format != LogFormat.JSON
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    final Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
    if (!(appender instanceof OutputStreamAppender<ILoggingEvent> stream)) {
      return false;
    }
    final JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    layout.start();
    final LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    stream.stop();
    stream.setEncoder(encoder);
    stream.start();
    return true;
  }
}
