package dev.genainormalizer.receiver.otlp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;

/**
 * The registry one listener's Armeria server registers its own meters on: the service's registry,
 * with the meters told apart by {@code receiver} and {@code transport} tags.
 *
 * <p>Every Armeria server registers the shared blocking-task executor ({@code armeria.executor.*})
 * and the build info ({@code armeria.build.info}) under one fixed id, so a second server on the
 * same registry is a double registration (Micrometer logs a WARN and ignores it). Those describe
 * the process, not a listener, so no listener registers them.
 */
final class ListenerMeters {
  private ListenerMeters() {}

  static MeterRegistry of(MeterRegistry service, String receiverId, String transport) {
    final CompositeMeterRegistry view =
        new CompositeMeterRegistry(service.config().clock(), List.of(service));
    view.config()
        .meterFilter(MeterFilter.denyNameStartsWith("armeria.executor."))
        .meterFilter(MeterFilter.denyNameStartsWith("armeria.build.info"))
        .meterFilter(
            MeterFilter.commonTags(Tags.of("receiver", receiverId, "transport", transport)));
    return view;
  }
}
