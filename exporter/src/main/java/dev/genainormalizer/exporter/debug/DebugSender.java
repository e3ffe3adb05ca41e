package dev.genainormalizer.exporter.debug;

import dev.genainormalizer.exporter.helper.DaemonThreads;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.pipeline.TraceBatch;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Prints batches for people; writes on its own thread, since stdout can block when nobody reads it.
 */
final class DebugSender implements TraceSender {
  private final PrintStream out;
  private final SpanPrinter printer;
  private final ExecutorService writer;

  DebugSender(PrintStream out, SpanPrinter printer, String threadName) {
    this.out = out;
    this.printer = printer;
    this.writer = DaemonThreads.singleThread(threadName);
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    return CompletableFuture.runAsync(
        () -> {
          out.print(printer.print(batch.request()));
          out.flush();
        },
        writer);
  }

  @Override
  public void close() {
    writer.shutdown();
  }
}
