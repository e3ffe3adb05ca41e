package dev.genainormalizer.exporter.helper.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One append-only segment file ({@code NNNN.seg}) and its ack file ({@code NNNN.ack}: the 8-byte
 * offsets of records the backend acknowledged, or that were given up). Not thread-safe: {@link
 * DiskQueue} guards it.
 */
final class Segment {
  final long seq;
  final Path file;
  final Path ackFile;
  private final FileChannel channel;
  private FileChannel ackChannel;
  long size;
  int records;
  int acked;
  boolean sealed;
  boolean dirty;

  private Segment(long seq, Path file, Path ackFile, FileChannel channel, long size) {
    this.seq = seq;
    this.file = file;
    this.ackFile = ackFile;
    this.channel = channel;
    this.size = size;
  }

  static Path segmentPath(Path dir, long seq) {
    return dir.resolve(String.format("%016d.seg", seq));
  }

  static Path ackPath(Path dir, long seq) {
    return dir.resolve(String.format("%016d.ack", seq));
  }

  static Segment create(Path dir, long seq) throws IOException {
    final Path file = segmentPath(dir, seq);
    final FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(seq, file, ackPath(dir, seq), ch, 0);
  }

  /** What a scan of an existing segment found. */
  record Scan(Segment segment, List<DiskQueue.Ref> unacked, boolean corruptTail) {}

  /**
   * Opens an existing segment read-only and scans its records up to the first one that is torn or
   * fails its checksum; what follows it is unreachable and reported as a corrupt tail.
   */
  static Scan open(Path dir, long seq) throws IOException {
    final Path file = segmentPath(dir, seq);
    final FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    final long fileSize = ch.size();
    final Segment seg = new Segment(seq, file, ackPath(dir, seq), ch, fileSize);
    seg.sealed = true;
    final Set<Long> ackedOffsets = readAcks(seg.ackFile);
    final List<DiskQueue.Ref> unacked = new ArrayList<>();
    final ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
    long pos = 0;
    boolean corrupt = false;
    while (pos < fileSize) {
      header.clear();
      if (fileSize - pos < RecordFormat.HEADER_BYTES
          || readFully(ch, header, pos) < RecordFormat.HEADER_BYTES) {
        corrupt = true;
        break;
      }
      header.flip();
      final int length = header.getInt();
      final int crc = header.getInt();
      final int spans = header.getInt();
      if (length < 0
          || length > RecordFormat.MAX_PAYLOAD_BYTES
          || length > fileSize - pos - RecordFormat.HEADER_BYTES
          || spans < 0) {
        corrupt = true;
        break;
      }
      final ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(ch, payload, pos + RecordFormat.HEADER_BYTES);
      if (RecordFormat.checksum(spans, payload.array()) != crc) {
        corrupt = true;
        break;
      }
      seg.records++;
      if (ackedOffsets.contains(pos)) {
        seg.acked++;
      } else {
        unacked.add(new DiskQueue.Ref(seg, pos, length, spans));
      }
      pos += RecordFormat.HEADER_BYTES + length;
    }
    return new Scan(seg, unacked, corrupt);
  }

  private static Set<Long> readAcks(Path ackFile) throws IOException {
    final Set<Long> out = new HashSet<>();
    if (!Files.exists(ackFile)) {
      return out;
    }
    final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(ackFile));
    while (buf.remaining() >= 8) { // a torn last entry is ignored: that record is sent again
      out.add(buf.getLong());
    }
    return out;
  }

  /** Appends one encoded record; returns its offset. */
  long append(ByteBuffer record) throws IOException {
    final long offset = size;
    while (record.hasRemaining()) {
      size += channel.write(record, size);
    }
    records++;
    dirty = true;
    return offset;
  }

  byte[] read(long offset, int length) throws IOException {
    final ByteBuffer buf = ByteBuffer.allocate(length);
    if (readFully(channel, buf, offset + RecordFormat.HEADER_BYTES) < length) {
      throw new IOException(file + ": record at " + offset + " is truncated");
    }
    return buf.array();
  }

  /** Forces appended records to the device. */
  void force() throws IOException {
    if (dirty) {
      channel.force(false);
      dirty = false;
    }
  }

  // Acks are not forced: a lost ack only means the batch is sent again (at-least-once).
  void ack(long offset) throws IOException {
    if (ackChannel == null) {
      ackChannel =
          FileChannel.open(
              ackFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    }
    final ByteBuffer buf = ByteBuffer.allocate(8).putLong(0, offset);
    while (buf.hasRemaining()) {
      ackChannel.write(buf);
    }
    acked++;
  }

  boolean fullyAcked() {
    return acked >= records;
  }

  void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (ackChannel != null) {
        ackChannel.close();
      }
    }
  }

  void delete() throws IOException {
    close();
    Files.deleteIfExists(ackFile);
    Files.deleteIfExists(file);
  }

  private static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      final int n = ch.read(buf, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
