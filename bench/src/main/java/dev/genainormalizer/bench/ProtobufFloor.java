package dev.genainormalizer.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The job's physical floor on this machine: decoding and re-encoding the request bodies the load
 * benchmark sends, with protobuf-java, on one thread. The service cannot do less than that per
 * span, so its CPU per span divided by this one is a figure that compares across machines.
 *
 * <p>Measured in thread CPU time, not wall time, so that other processes on a busy machine slow the
 * figure only through shared caches, not by taking the core away.
 */
final class ProtobufFloor {
  private static final long WARMUP_CPU_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
  private static final long ROUND_CPU_NANOS = TimeUnit.MILLISECONDS.toNanos(400);
  private static final int ROUNDS = 5;

  private final List<byte[]> bodies;
  private final long spansPerPass;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  // what each pass encoded, kept so that the JIT cannot drop the work as unused
  private long encodedBytes;

  /** {@code bodies}: OTLP/HTTP protobuf request bodies of {@code spansPerBody} spans each. */
  ProtobufFloor(List<byte[]> bodies, int spansPerBody) {
    if (bodies.isEmpty() || spansPerBody <= 0) {
      throw new IllegalArgumentException("the floor needs bodies with spans");
    }
    this.bodies = List.copyOf(bodies);
    this.spansPerPass = (long) bodies.size() * spansPerBody;
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time");
    }
  }

  /**
   * Spans decoded and re-encoded per CPU-second of this thread: after a warm-up long enough for the
   * JIT to compile the protobuf code, the median of a few rounds, each long enough that the clock's
   * granularity does not matter.
   */
  double spansPerCpuSecond() {
    runFor(WARMUP_CPU_NANOS);
    final double[] rounds = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      final long start = threads.getCurrentThreadCpuTime();
      final long passes = runFor(ROUND_CPU_NANOS);
      rounds[i] =
          spansPerCpuSecond(passes * spansPerPass, threads.getCurrentThreadCpuTime() - start);
    }
    if (encodedBytes == 0) {
      throw new IllegalStateException("the floor encoded nothing");
    }
    return median(rounds);
  }

  /** Whole passes over the bodies until {@code cpuNanos} of this thread's CPU time went by. */
  private long runFor(long cpuNanos) {
    final long end = threads.getCurrentThreadCpuTime() + cpuNanos;
    long passes = 0;
    do {
      for (byte[] body : bodies) {
        encodedBytes += decode(body).toByteArray().length;
      }
      passes++;
    } while (threads.getCurrentThreadCpuTime() < end);
    return passes;
  }

  private static ExportTraceServiceRequest decode(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a bench request body is not an OTLP request", e);
    }
  }

  static double spansPerCpuSecond(long spans, long cpuNanos) {
    if (cpuNanos <= 0) {
      throw new IllegalArgumentException("no CPU time measured for " + spans + " spans");
    }
    return spans / (cpuNanos / 1e9);
  }

  static double median(double[] values) {
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    final int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
