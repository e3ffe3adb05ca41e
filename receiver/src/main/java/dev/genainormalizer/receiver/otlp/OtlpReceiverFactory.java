package dev.genainormalizer.receiver.otlp;

import dev.genainormalizer.logging.ThrottledLogger;
import dev.genainormalizer.receiver.Receiver;
import dev.genainormalizer.receiver.ReceiverFactory;
import dev.genainormalizer.receiver.ReceiverSettings;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** The {@code otlp} receiver type: OTLP/gRPC on 4317 and OTLP/HTTP on 4318, as in the Collector. */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
  public static final String TYPE = "otlp";

  /** At most one warning per interval about bad requests or failing pipelines. */
  static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<OtlpReceiverConfig> configType() {
    return OtlpReceiverConfig.class;
  }

  @Override
  public OtlpReceiverConfig defaultConfig() {
    return OtlpReceiverConfig.defaults();
  }

  /**
   * Builds the receiver; nothing binds until {@link Receiver#start()}.
   *
   * @throws IllegalArgumentException when the config is invalid (the loader validates it first)
   */
  @Override
  public Receiver create(OtlpReceiverConfig config, ReceiverSettings settings) {
    final String id = settings.id().toString();
    final OtlpReceiverTelemetry telemetry = new OtlpReceiverTelemetry(id, settings.meterRegistry());
    final ThrottledLogger log =
        new ThrottledLogger(
            LoggerFactory.getLogger(OtlpReceiver.class), Clock.SYSTEM, LOG_INTERVAL);
    final TraceIntake intake =
        new TraceIntake(id, settings.consumer(), telemetry, log, config.limits());
    return new OtlpReceiver(
        id, config, intake, telemetry, log, settings.meterRegistry(), settings.memoryBudget());
  }
}
