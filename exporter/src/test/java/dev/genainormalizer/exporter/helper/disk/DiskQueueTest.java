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
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(
                  ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n * 1000 + i + 1).array()))
              .setName("span-" + n));
    }
    return TraceBatch.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
            .build());
  }

  /** A record read back, with where it sits. */
  private record Read(DiskQueue.Ref ref, TraceBatch batch) {}

  private static List<String> names(List<Read> entries) {
    final List<String> out = new ArrayList<>();
    for (Read e : entries) {
      out.add(e.batch().request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    }
    return out;
  }

  /** Reads back what earlier runs left, oldest first, skipping what cannot be read. */
  private static List<Read> recovered(DiskQueue q) {
    return readAll(q, q.recovered());
  }

  private static List<Read> readAll(DiskQueue q, List<DiskQueue.Ref> refs) {
    final List<Read> out = new ArrayList<>();
    for (DiskQueue.Ref ref : refs) {
      final TraceBatch batch = q.read(ref);
      if (batch != null) {
        out.add(new Read(ref, batch));
      }
    }
    return out;
  }

  private static List<DiskQueue.Ref> appendAll(DiskQueue q, int count, int spans) {
    final List<DiskQueue.Ref> refs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      refs.add(q.append(batch(i, spans)));
    }
    return refs;
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).count();
    }
  }

  @Test
  void readsBatchesBackWithTheirSpanCounts() {
    final List<DiskQueue.Ref> refs = new ArrayList<>();
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      for (int i = 0; i < 5; i++) {
        refs.add(q.append(batch(i, i + 1)));
      }
      assertThat(refs).doesNotContainNull();
      assertThat(refs).extracting(DiskQueue.Ref::spans).containsExactly(1, 2, 3, 4, 5);
      final List<Read> entries = readAll(q, refs);
      assertThat(names(entries)).containsExactly("span-0", "span-1", "span-2", "span-3", "span-4");
      assertThat(entries.get(4).batch().spanCount()).isEqualTo(5);
      assertThat(entries.get(4).batch()).isEqualTo(batch(4, 5));
      assertThat(q.recovered()).as("nothing from an earlier run").isEmpty();
    }
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      assertThat(names(recovered(q)))
          .containsExactly("span-0", "span-1", "span-2", "span-3", "span-4");
    }
  }

  @Test
  void acknowledgesWithoutReadingAndFreesTheFiles() throws IOException {
    try (DiskQueue q = open(Fsync.NEVER)) {
      final List<DiskQueue.Ref> refs = appendAll(q, 40, 3);
      for (int i = 0; i < 30; i++) {
        q.ack(refs.get(i));
      }
      q.ack(refs.get(0)); // twice: still one ack
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(names(recovered(q))).startsWith("span-30").endsWith("span-39").hasSize(10);
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      q.recovered().forEach(q::ack);
      assertThat(segmentFiles()).isZero();
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(q.recovered()).isEmpty();
    }
  }

  @Test
  void resumesWhatWasNotAcknowledgedAndNothingElse() {
    try (DiskQueue q = open(Fsync.BATCH)) {
      final List<DiskQueue.Ref> refs = appendAll(q, 40, 3); // several segments of 4 KiB
      for (int i = 0; i < 40; i += 2) {
        q.ack(refs.get(i));
      }
    }
    try (DiskQueue q = open(Fsync.BATCH)) {
      final List<Read> again = recovered(q);
      assertThat(again).hasSize(20);
      assertThat(names(again).get(0)).isEqualTo("span-1");
      assertThat(names(again).get(19)).isEqualTo("span-39");
      again.forEach(e -> q.ack(e.ref()));
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(q.recovered()).isEmpty();
    }
    assertThat(corrupt).hasValue(0);
  }

  @Test
  void deletesSegmentsOnceEveryRecordInThemIsAcknowledged() throws IOException {
    try (DiskQueue q = open(Fsync.NEVER)) {
      final List<DiskQueue.Ref> refs = appendAll(q, 200, 3);
      assertThat(segmentFiles()).isGreaterThan(2);
      final long before = q.diskBytes();
      refs.forEach(q::ack);
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
      f.setLength(
          f.length() - 5); // the second record loses its last bytes, as in a crash mid-write
    }
    try (DiskQueue q = open(Fsync.ALWAYS)) {
      assertThat(names(recovered(q))).containsExactly("span-0");
      assertThat(corrupt).hasValue(1);
      final DiskQueue.Ref ref = q.append(batch(2, 1)); // and it keeps working
      assertThat(names(readAll(q, List.of(ref)))).containsExactly("span-2");
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
      assertThat(names(recovered(q))).containsExactly("span-0");
      assertThat(corrupt).hasValue(1);
    }
  }

  @Test
  void aRecordThatPassesItsChecksumButIsNoRequestIsSkippedCountedAndForgotten() throws IOException {
    Files.createDirectories(dir);
    final java.nio.ByteBuffer record = RecordFormat.encode(new byte[] {(byte) 0xff, 0x7f, 0x01}, 1);
    Files.write(
        dir.resolve("0000000000000003.seg"),
        java.util.Arrays.copyOf(record.array(), record.limit()));
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(q.recovered()).hasSize(1);
      assertThat(q.read(q.recovered().get(0))).isNull();
      assertThat(corrupt).hasValue(1);
    }
    try (DiskQueue q = open(Fsync.NEVER)) {
      assertThat(q.recovered()).as("acknowledged: it never will be readable").isEmpty();
    }
  }

  @Test
  void garbageInAFileNeverStopsTheQueueFromOpening() throws IOException {
    Files.createDirectories(dir);
    Files.write(
        dir.resolve("0000000000000007.seg"),
        new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Files.write(dir.resolve("0000000000000008.seg"), new byte[0]);
    try (DiskQueue q = open(Fsync.BATCH)) {
      assertThat(q.recovered()).isEmpty();
      assertThat(corrupt).hasValue(1);
      final DiskQueue.Ref ref = q.append(batch(1, 1));
      assertThat(readAll(q, List.of(ref))).hasSize(1);
    }
  }

  @Test
  void refusesABatchThatWouldPassMaxBytes() {
    try (DiskQueue q = DiskQueue.open(dir, 2000, 1000, Fsync.NEVER, corrupt::addAndGet)) {
      final List<DiskQueue.Ref> accepted = new ArrayList<>();
      for (DiskQueue.Ref ref = q.append(batch(0, 5));
          ref != null;
          ref = q.append(batch(accepted.size(), 5))) {
        accepted.add(ref);
      }
      assertThat(accepted).isNotEmpty();
      assertThat(q.diskBytes()).isLessThanOrEqualTo(2000);
      accepted.forEach(q::ack);
      assertThat(q.append(batch(99, 5))).as("space is freed by acks").isNotNull();
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
