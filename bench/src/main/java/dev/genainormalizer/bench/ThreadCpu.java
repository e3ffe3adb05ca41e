package dev.genainormalizer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process's CPU time split by what its threads do: the JIT compilers, the garbage collector, and
 * the rest (the application's own threads), read from Linux's {@code /proc/<pid>/task/*}. A short
 * run of a service on two cores spends a large share of its CPU in the JIT compilers; the bench
 * warms up until that share settles, so the figures are the service's steady state, as the protobuf
 * floor's are.
 */
record ThreadCpu(long jitNanos, long gcNanos, long otherNanos) {
  /** USER_HZ: the unit of {@code utime} and {@code stime} in {@code /proc/.../stat} on Linux. */
  private static final long TICK_NANOS = 10_000_000L;

  long totalNanos() {
    return jitNanos + gcNanos + otherNanos;
  }

  ThreadCpu minus(ThreadCpu earlier) {
    return new ThreadCpu(
        jitNanos - earlier.jitNanos, gcNanos - earlier.gcNanos, otherNanos - earlier.otherNanos);
  }

  double jitShare() {
    return totalNanos() <= 0 ? 0 : (double) jitNanos / totalNanos();
  }

  double gcShare() {
    return totalNanos() <= 0 ? 0 : (double) gcNanos / totalNanos();
  }

  /** Empty where {@code /proc} does not exist (not Linux) or the process is gone. */
  static Optional<ThreadCpu> of(long pid) {
    final Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Optional.empty();
    }
    long jit = 0;
    long gc = 0;
    long other = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        final String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended between the listing and the read
        }
        // pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis
        final int open = stat.indexOf('(');
        final int close = stat.lastIndexOf(')');
        final String comm = stat.substring(open + 1, close);
        final String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15
        final long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
        if (comm.contains("CompilerThre")) {
          jit += nanos;
        } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
          gc += nanos;
        } else {
          other += nanos;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(new ThreadCpu(jit, gc, other));
  }
}
