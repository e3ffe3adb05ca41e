package dev.genainormalizer.receiver.otlp;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reads a request body piece by piece, to its end or until it passes a byte limit, handing each
 * piece to a {@link Reader} on a given executor, one piece at a time: the next is asked for once
 * the last one is done, so a slow reader slows the client (HTTP/2 flow control) instead of queueing
 * bytes.
 *
 * <p>Gives gRPC answers their order: an HTTP/2 server that answers while the client is still
 * sending has to reset the stream, and grpc-java then reports the reset ({@code UNKNOWN} or {@code
 * CANCELLED}) instead of the status it was sent. Read to its end first, the status arrives as sent.
 */
final class RequestBody implements Subscriber<HttpObject> {
  /** The most a call is read and discarded before it is answered: larger ones are reset. */
  static final long MIN_DISCARD_LIMIT = 32L * 1024 * 1024;

  /** How the body ended. */
  enum End {
    /** Read to its end. */
    COMPLETE,
    /** Longer than the limit: the rest was not read, and the stream will be reset. */
    OVER_LIMIT,
    /** The client went away, or the reader failed. */
    FAILED
  }

  /** Takes the pieces of a body; its arrays must not be kept. */
  @FunctionalInterface
  interface Reader {
    void read(byte[] bytes, int offset, int length);

    /**
     * Whether the next piece may take long (inflating it), so that it must not run on the event
     * loop; pieces that are only copied or counted do, which spares them a thread hop each.
     */
    default boolean slow() {
      return false;
    }
  }

  private final long limit;
  private final Executor worker;
  private final Reader reader;
  private final EventExecutor eventLoop;
  private final CompletableFuture<End> end = new CompletableFuture<>();
  // the pieces' tasks, chained; touched on the request's event loop only
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private Subscription subscription;
  private long bytes;
  private boolean ended;

  private RequestBody(EventExecutor eventLoop, long limit, Executor worker, Reader reader) {
    this.eventLoop = eventLoop;
    this.limit = limit;
    this.worker = worker;
    this.reader = reader;
  }

  /**
   * How long a call may be to be read and discarded before its answer: twice {@code
   * maxMessageBytes} and at least {@value #MIN_DISCARD_LIMIT} bytes, so that a message a little
   * over the limit gets its status; reading more would only cost bandwidth to refuse it.
   */
  static long discardLimit(long maxMessageBytes) {
    return Math.max(2 * maxMessageBytes, MIN_DISCARD_LIMIT);
  }

  /**
   * Starts reading {@code req}'s body.
   *
   * @param worker where {@code reader} runs the pieces it finds {@linkplain Reader#slow() slow};
   *     the others run on the event loop
   * @return the reading, whose {@link #end()} completes after the last piece is read; exceptionally
   *     when the reader threw
   */
  static RequestBody read(
      ServiceRequestContext ctx, HttpRequest req, long limit, Executor worker, Reader reader) {
    final RequestBody body = new RequestBody(ctx.eventLoop(), limit, worker, reader);
    req.subscribe(body, ctx.eventLoop());
    return body;
  }

  /** Reads {@code req}'s body to its end or {@code limit}, keeping nothing. */
  static CompletableFuture<End> discard(ServiceRequestContext ctx, HttpRequest req, long limit) {
    return read(ctx, req, limit, Runnable::run, (b, off, len) -> {}).end();
  }

  CompletableFuture<End> end() {
    return end;
  }

  /** Stops reading (the answer was given up); the end is then {@link End#FAILED}. */
  void cancel() {
    eventLoop.execute(() -> finish(End.FAILED, true));
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(HttpObject object) {
    if (ended) {
      return;
    }
    if (!(object instanceof HttpData data)) {
      subscription.request(1); // trailers
      return;
    }
    bytes += data.length();
    if (bytes > limit) {
      finish(End.OVER_LIMIT, true);
      return;
    }
    final byte[] array = data.array();
    final int length = data.length();
    then(
        () -> {
          reader.read(array, 0, length);
          subscription.request(1);
        },
        reader.slow() ? worker : Runnable::run);
  }

  @Override
  public void onError(Throwable t) {
    finish(End.FAILED, false);
  }

  @Override
  public void onComplete() {
    finish(End.COMPLETE, false);
  }

  private void finish(End how, boolean cancel) {
    if (ended) {
      return;
    }
    ended = true;
    if (cancel && subscription != null) {
      subscription.cancel();
    }
    then(() -> end.complete(how), Runnable::run);
  }

  private void then(Runnable task, Executor executor) {
    tail =
        tail.thenRunAsync(
            () -> {
              if (end.isDone()) {
                return;
              }
              try {
                task.run();
              } catch (RuntimeException | Error e) {
                end.completeExceptionally(e);
                subscription.cancel();
              }
            },
            executor);
  }
}
