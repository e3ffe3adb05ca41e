package dev.genainormalizer.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
  // the JIT compiles on threads of its own, which a busy machine starves: give them wall time too
  private static final long WARMUP_WALL_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final long ROUND_CPU_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final int ROUNDS = 8;

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
   * JIT to compile the protobuf code, the best of a few rounds, each long enough that the clock's
   * granularity does not matter. The best, not the median: the floor is what the machine can do,
   * and whatever else happens (a late compilation, another process in the caches) only ever makes a
   * round slower.
   */
  double spansPerCpuSecond() {
    final long wallEnd = System.nanoTime() + WARMUP_WALL_NANOS;
    runFor(WARMUP_CPU_NANOS);
    while (System.nanoTime() < wallEnd) {
      runFor(ROUND_CPU_NANOS);
    }
    double best = 0;
    for (int i = 0; i < ROUNDS; i++) {
      final long start = threads.getCurrentThreadCpuTime();
      final long passes = runFor(ROUND_CPU_NANOS);
      best =
          Math.max(
              best,
              spansPerCpuSecond(passes * spansPerPass, threads.getCurrentThreadCpuTime() - start));
    }
    if (encodedBytes == 0) {
      throw new IllegalStateException("the floor encoded nothing");
    }
    return best;
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
}
