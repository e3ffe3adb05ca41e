package dev.genainormalizer.app.testing;

import dev.genainormalizer.app.Main;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the service in its own JVM, {@code java … Main ARGS}, on the test class path.
 * Starting one costs seconds of CPU on a busy 2-core machine, most of it compiling code that runs
 * once; a test that does not measure the JVM's heap or collector starts it with {@link
 * #quickStart}, which compiles with C1 only and keeps no perf-data file. The service does the same
 * thing either way, only its compiled code is slower; a test that bounds heap use keeps the
 * defaults, since its measurement would then be of another JVM than the operator's.
 */
public final class ChildJvm {
  /**
   * How long a child JVM may take to be ready (or to exit, for a command that ends): its start is
   * CPU-bound, and on a 2-core machine at load 20 with other test classes starting JVMs at the same
   * time it has taken over 60 s. It bounds only how long a failure takes.
   */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

  private final List<String> jvmOptions;

  private ChildJvm(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The JVM as operators run it, but for {@code -Xmx}. */
  public static ChildJvm withHeap(String maxHeap) {
    return new ChildJvm(List.of("-Xmx" + maxHeap));
  }

  /**
   * Compiles with C1 only and keeps no perf data: a quicker start, for a test that does not measure
   * the heap.
   */
  public ChildJvm quickStart() {
    return option(QUICK_START.toArray(String[]::new));
  }

  /** This JVM with more options ({@code -D…}, {@code -XX:…}). */
  public ChildJvm option(String... options) {
    final List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(List.of(options));
    return new ChildJvm(all);
  }

  /** {@code java OPTIONS -cp TEST_CLASS_PATH Main ARGS}. */
  public List<String> command(List<String> mainArgs) {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(testClassPath());
    command.add(Main.class.getName());
    command.addAll(mainArgs);
    return command;
  }

  private static String testClassPath() {
    final String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isEmpty()
        ? surefire
        : System.getProperty("java.class.path").replace(";", File.pathSeparator);
  }
}
