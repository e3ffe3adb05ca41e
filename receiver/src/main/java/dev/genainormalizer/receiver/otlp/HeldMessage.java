package dev.genainormalizer.receiver.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.genainormalizer.pipeline.MemoryBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded bytes of one request message while it is read, counted against the service's {@link
 * MemoryBudget} as they are allocated, so that {@code genai_normalizer_memory_used_bytes} and the
 * refusals see them and concurrent requests cannot together take more than {@code memory_limit}.
 * Held in chunks (no doubling copy) and handed to the protobuf parser as one rope.
 *
 * <p>Past {@code limit} bytes it takes no more ({@link #tooLarge()}). When the budget has no room
 * it lets go of what it holds and only counts the rest ({@link #overBudget()}), so that a message
 * over the limit is still told apart from one that may be retried. Thread-safe; {@link #close()}
 * gives back what it holds and is idempotent.
 */
final class HeldMessage implements StreamingInflater.Sink, AutoCloseable {
  private static final int MIN_CHUNK = 8 * 1024;
  private static final int MAX_CHUNK = 1024 * 1024;

  private final MemoryBudget budget;
  private final int limit;
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;
  private int lastChunkUsed;
  private long heldBytes;
  private long expectedBytes;
  private boolean overBudget;
  private boolean closed;

  /**
   * @param limit the largest message, in decoded bytes
   */
  HeldMessage(MemoryBudget budget, int limit) {
    this.budget = budget;
    this.limit = limit;
  }

  /** A size hint (an uncompressed frame's length), so that chunks are no larger than needed. */
  synchronized void expect(long bytes) {
    expectedBytes = bytes;
  }

  /** Appends decoded bytes; false once the message is over the limit or this is closed. */
  @Override
  public synchronized boolean accept(byte[] bytes, int offset, int length) {
    if (closed || size > limit) {
      return false;
    }
    if (size + length > limit) {
      size = limit + 1L; // one byte past the limit tells all there is to tell
      release();
      return false;
    }
    size += length;
    if (!overBudget) {
      copy(bytes, offset, length);
    }
    return true;
  }

  /** Decoded bytes so far, whether held or only counted. */
  synchronized long size() {
    return size;
  }

  synchronized boolean tooLarge() {
    return size > limit;
  }

  /** Whether the budget had no room for part of the message (and nothing of it is held). */
  synchronized boolean overBudget() {
    return overBudget && size <= limit;
  }

  /** The bytes counted against the budget now. */
  synchronized long heldBytes() {
    return heldBytes;
  }

  /** The whole message; only when neither {@link #tooLarge()} nor {@link #overBudget()}. */
  synchronized ByteString contents() {
    if (closed || overBudget || size > limit) {
      throw new IllegalStateException("no message held");
    }
    ByteString out = ByteString.EMPTY;
    for (int i = 0; i < chunks.size(); i++) {
      final byte[] chunk = chunks.get(i);
      final int used = i == chunks.size() - 1 ? lastChunkUsed : chunk.length;
      // never written again: the parser may read them in place
      out = out.concat(UnsafeByteOperations.unsafeWrap(chunk, 0, used));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    closed = true;
    release();
  }

  private void copy(byte[] bytes, int offset, int length) {
    int off = offset;
    int left = length;
    while (left > 0) {
      byte[] chunk = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
      if (chunk == null || lastChunkUsed == chunk.length) {
        final int capacity = nextChunkCapacity(left);
        if (!reserve(capacity)) {
          overBudget = true;
          release();
          return;
        }
        chunk = new byte[capacity];
        chunks.add(chunk);
        lastChunkUsed = 0;
      }
      final int n = Math.min(left, chunk.length - lastChunkUsed);
      System.arraycopy(bytes, off, chunk, lastChunkUsed, n);
      lastChunkUsed += n;
      off += n;
      left -= n;
    }
  }

  /**
   * Chunks grow with the message (an eighth of what is held, 8 KiB to 1 MiB), sized to the expected
   * length when known, and never past the limit.
   */
  private int nextChunkCapacity(int needed) {
    final long held = size - needed;
    long capacity = expectedBytes > held ? expectedBytes - held : Math.max(MIN_CHUNK, held / 8);
    capacity = Math.max(capacity, needed);
    capacity = Math.min(capacity, Math.max(MAX_CHUNK, needed));
    return (int) Math.min(capacity, limit + 1L - held);
  }

  /**
   * Counts {@code bytes} against the budget. As {@link MemoryBudget#tryAcquire} lets one request
   * through an idle service whatever its size, a message that is all the budget holds may grow past
   * the limit.
   */
  private boolean reserve(long bytes) {
    if (!budget.tryAcquire(bytes)) {
      if (heldBytes == 0 || budget.usedBytes() != heldBytes) {
        return false;
      }
      budget.acquire(bytes);
    }
    heldBytes += bytes;
    return true;
  }

  private void release() {
    chunks.clear();
    lastChunkUsed = 0;
    if (heldBytes > 0) {
      budget.release(heldBytes);
      heldBytes = 0;
    }
  }
}
