package dev.genainormalizer.exporter.helper.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.genainormalizer.config.QueueConfig.Fsync;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskQueueTest {
  @TempDir Path dir;
  private final AtomicLong corrupt = new AtomicLong();

  private DiskQueue open(Fsync fsync) {
    return DiskQueue.open(dir, 1L << 20, 4096, fsync, corrupt::addAndGet);
  }

  static TraceBatch batch(long n, int spans) {
    final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[16]))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n * 1000 + i + 1).array()))
          .setName("span-" + n));
    }
    return TraceBatch.of(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build());
  }

  private static List<String> names(List<DiskQueue.Entry> entries) {
    final List<String> out = new ArrayList<>();
    for (DiskQueue.Entry e : entries) {
      out.add(e.batch().request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    }
    return out;
  }

  private static List<DiskQueue.Entry> drain(DiskQueue q) {
    final List<DiskQueue.Entry> out = new ArrayList<>();
    for (DiskQueue.Entry e = q.poll(); e != null; e = q.poll()) {
      out.add(e);
    }
    return out;
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).count();
    }
  }

  @Test
  void handsBatchesOutInOrderWithTheirSpanCounts() {
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      for (int i = 0; i < 5; i++) {
        assertThat(q.append(batch(i, i + 1))).isTrue();
      }
      assertThat(q.unreadBatches()).isEqualTo(5);
      assertThat(q.unreadSpans()).isEqualTo(15);
      final List<DiskQueue.Entry> entries = drain(q);
      assertThat(names(entries)).containsExactly("span-0", "span-1", "span-2", "span-3", "span-4");
      assertThat(entries.get(4).batch().spanCount()).isEqualTo(5);
      assertThat(entries.get(4).batch()).isEqualTo(batch(4, 5));
    }
  }

  @Test
  void ackOldestAcknowledgesInOrderWithoutReadingAndFreesTheFiles() throws IOException {
    try (DiskQueue q = open(Fsync.NEVER)) {
      for (int i = 0; i < 40; i++) {
        q.append(batch(i, 3));
      }
      for (int i = 0; i < 30; i++) {
        assertThat(q.ackOldest()).isTrue();
      }
      assertThat(q.unreadBatches()).isEqualTo(10);
      assertThat(q.unreadSpans()).isEqualTo(30);
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(names(drain(q))).startsWith("span-30").endsWith("span-39").hasSize(10);
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      while (q.ackOldest()) {
        // all of them
      }
      assertThat(q.ackOldest()).isFalse();
      assertThat(segmentFiles()).isZero();
    }
  }

  @Test
  void resumesWhatWasNotAcknowledgedAndNothingElse() {
    try (DiskQueue q = open(Fsync.BATCH)) {
      for (int i = 0; i < 40; i++) { // several segments of 4 KiB
        q.append(batch(i, 3));
      }
      final List<DiskQueue.Entry> entries = drain(q);
      for (int i = 0; i < 40; i += 2) {
        q.ack(entries.get(i).ref());
      }
    }
    try (DiskQueue q = open(Fsync.BATCH)) {
      final List<DiskQueue.Entry> again = drain(q);
      assertThat(again).hasSize(20);
      assertThat(names(again).get(0)).isEqualTo("span-1");
      assertThat(names(again).get(19)).isEqualTo("span-39");
      again.forEach(e -> q.ack(e.ref()));
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(q.unreadBatches()).isZero();
    }
    assertThat(corrupt).hasValue(0);
  }

  @Test
  void deletesSegmentsOnceEveryRecordInThemIsAcknowledged() throws IOException {
    try (DiskQueue q = open(Fsync.NEVER)) {
      for (int i = 0; i < 200; i++) {
        q.append(batch(i, 3));
      }
      assertThat(segmentFiles()).isGreaterThan(2);
      final long before = q.diskBytes();
      drain(q).forEach(e -> q.ack(e.ref()));
      assertThat(segmentFiles()).isZero();
      assertThat(q.diskBytes()).isZero();
      assertThat(before).isPositive();
    }
  }

  @Test
  void aTornTailIsSkippedAndCountedAndTheRecordsBeforeItSurvive() throws IOException {
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      q.append(batch(0, 2));
      q.append(batch(1, 2));
    }
    final Path seg;
    try (Stream<Path> files = Files.list(dir)) {
      seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(f.length() - 5); // the second record loses its last bytes, as in a crash mid-write
    }
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      assertThat(names(drain(q))).containsExactly("span-0");
      assertThat(corrupt).hasValue(1);
      assertThat(q.append(batch(2, 1))).isTrue(); // and it keeps working
      assertThat(names(drain(q))).containsExactly("span-2");
    }
  }

  @Test
  void aFlippedByteFailsTheChecksumAndIsSkippedAndCounted() throws IOException {
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      q.append(batch(0, 2));
      q.append(batch(1, 2));
      q.append(batch(2, 2));
    }
    final Path seg;
    try (Stream<Path> files = Files.list(dir)) {
      seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    final byte[] bytes = Files.readAllBytes(seg);
    final int second = RecordFormat.HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(0);
    bytes[second + RecordFormat.HEADER_BYTES + 3] ^= 0x5a;
    Files.write(seg, bytes);
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      assertThat(names(drain(q))).containsExactly("span-0");
      assertThat(corrupt).hasValue(1);
    }
  }

  @Test
  void garbageInAFileNeverStopsTheQueueFromOpening() throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("0000000000000007.seg"), new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Files.write(dir.resolve("0000000000000008.seg"), new byte[0]);
    try (DiskQueue q = open(Fsync.BATCH)) {
      assertThat(q.unreadBatches()).isZero();
      assertThat(corrupt).hasValue(1);
      assertThat(q.append(batch(1, 1))).isTrue();
      assertThat(drain(q)).hasSize(1);
    }
  }

  @Test
  void refusesABatchThatWouldPassMaxBytes() {
    try (DiskQueue q = DiskQueue.open(dir, 2000, 1000, Fsync.NEVER, corrupt::addAndGet)) {
      int accepted = 0;
      while (q.append(batch(accepted, 5))) {
        accepted++;
      }
      assertThat(accepted).isPositive();
      assertThat(q.diskBytes()).isLessThanOrEqualTo(2000);
      final List<DiskQueue.Entry> all = drain(q);
      all.forEach(e -> q.ack(e.ref()));
      assertThat(q.append(batch(99, 5))).as("space is freed by acks").isTrue();
    }
  }

  @Test
  void aDirectoryHoldsOneQueueAtATime() {
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThatThrownBy(() -> open(Fsync.NEVER))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sending_queue.directory: " + dir)
          .hasMessageContaining("in use");
    }
    open(Fsync.NEVER).close(); // released on close
  }
}
