package dev.genainormalizer.exporter.helper;

import dev.genainormalizer.pipeline.TraceBatch;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** An in-memory backend for the helper's own tests: answers from a script, then succeeds. */
final class ScriptedSender implements TraceSender {
  private final Queue<Supplier<CompletableFuture<Void>>> script = new ConcurrentLinkedQueue<>();
  private final List<TraceBatch> attempts = new CopyOnWriteArrayList<>();
  private final List<TraceBatch> delivered = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Supplier<CompletableFuture<Void>> otherwise =
      () -> CompletableFuture.completedFuture(null);

  static ScriptedSender healthy() {
    return new ScriptedSender();
  }

  /** Never answers: a dead backend. */
  static ScriptedSender dead() {
    final ScriptedSender s = new ScriptedSender();
    s.otherwise =
        () -> {
          final CompletableFuture<Void> f = new CompletableFuture<>();
          s.pending.add(f);
          return f;
        };
    return s;
  }

  /** Always fails with {@code e}. */
  static ScriptedSender failing(RuntimeException e) {
    final ScriptedSender s = new ScriptedSender();
    s.otherwise = () -> CompletableFuture.failedFuture(e);
    return s;
  }

  ScriptedSender thenFail(RuntimeException e, int times) {
    for (int i = 0; i < times; i++) {
      script.add(() -> CompletableFuture.failedFuture(e));
    }
    return this;
  }

  ScriptedSender thenThrow(RuntimeException e) {
    script.add(
        () -> {
          throw e;
        });
    return this;
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    attempts.add(batch);
    final Supplier<CompletableFuture<Void>> next = script.poll();
    final CompletableFuture<Void> f = (next != null ? next : otherwise).get();
    return f.thenRun(() -> delivered.add(batch));
  }

  @Override
  public void close() {
    closed.set(true);
  }

  List<TraceBatch> attempts() {
    return attempts;
  }

  List<TraceBatch> delivered() {
    return delivered;
  }

  boolean closed() {
    return closed.get();
  }
}
