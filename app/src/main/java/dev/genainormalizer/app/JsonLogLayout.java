package dev.genainormalizer.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;

/**
 * One JSON object per log line ({@code service.telemetry.logs.format: json}): {@code time}, {@code
 * level}, {@code logger}, {@code thread}, {@code message} and, when there is one, {@code
 * exception}. Hand-written so that no JSON encoder dependency is needed for a handful of fields.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    final StringBuilder b = new StringBuilder(256);
    b.append("{\"time\":");
    quote(b, Instant.ofEpochMilli(event.getTimeStamp()).toString());
    b.append(",\"level\":");
    quote(b, event.getLevel().toString());
    b.append(",\"logger\":");
    quote(b, event.getLoggerName());
    b.append(",\"thread\":");
    quote(b, event.getThreadName());
    b.append(",\"message\":");
    quote(b, event.getFormattedMessage());
    final IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      b.append(",\"exception\":");
      quote(b, ThrowableProxyUtil.asString(thrown));
    }
    return b.append("}\n").toString();
  }

  static void quote(StringBuilder b, String s) {
    b.append('"');
    if (s != null) {
      for (int i = 0; i < s.length(); i++) {
        final char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
    }
    b.append('"');
  }
}
