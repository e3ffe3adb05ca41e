package dev.genainormalizer.exporter.file;

import dev.genainormalizer.exporter.helper.DaemonThreads;
import dev.genainormalizer.exporter.helper.TraceSender;
import dev.genainormalizer.otlp.OtlpJson;
import dev.genainormalizer.pipeline.TraceBatch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Appends each batch as one OTLP/JSON line and flushes, on its own thread so a slow disk never
 * blocks the exporter's scheduler. Write errors are retryable (a full disk may drain).
 */
final class FileSender implements TraceSender {
  private final Path path;
  private final ExecutorService writer;
  private OutputStream out; // touched only on the writer thread after start()

  FileSender(Path path, String threadName) {
    this.path = path;
    this.writer = DaemonThreads.singleThread(threadName);
  }

  @Override
  public void start() {
    final Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalStateException(
          "file exporter: cannot write "
              + path
              + ": directory "
              + parent
              + " does not exist (expected: an existing directory; it is not created)");
    }
    try {
      out =
          new BufferedOutputStream(
              Files.newOutputStream(
                  path,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE),
              64 * 1024);
    } catch (IOException e) {
      throw new IllegalStateException(
          "file exporter: cannot open " + path + " for appending: " + e, e);
    }
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    final byte[] line =
        (OtlpJson.printTraces(batch.request()) + "\n").getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.runAsync(
        () -> {
          try {
            out.write(line);
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException("file exporter: writing " + path + " failed", e);
          }
        },
        writer);
  }

  @Override
  public void close() {
    writer.execute(
        () -> {
          try {
            if (out != null) {
              out.close();
            }
          } catch (IOException e) {
            throw new UncheckedIOException("file exporter: closing " + path + " failed", e);
          }
        });
    writer.shutdown();
  }

  @Override
  public String toString() {
    return "file " + path;
  }
}
