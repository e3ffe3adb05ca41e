package dev.genainormalizer.exporter.helper;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Threads for senders that must write to a blocking stream (stdout, a file). */
public final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * One daemon thread that runs tasks in order. The queue is unbounded, but the exporter's
   * consumers bound what is submitted ({@code num_consumers} sends at a time).
   */
  public static ExecutorService singleThread(String name) {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          final Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
