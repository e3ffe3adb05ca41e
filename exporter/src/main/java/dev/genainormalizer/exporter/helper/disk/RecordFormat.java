package dev.genainormalizer.exporter.helper.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One record of a segment file: {@code [int length][int crc32c][int spanCount][payload]}, big
 * endian; {@code length} counts the payload, the checksum covers {@code spanCount} and the payload.
 * The span count sits in the header so resuming a queue needs no protobuf parsing.
 */
final class RecordFormat {
  static final int HEADER_BYTES = 12;

  /** A length above this is a torn or corrupt header, not a batch. */
  static final int MAX_PAYLOAD_BYTES = 256 << 20;

  private RecordFormat() {}

  static ByteBuffer encode(byte[] payload, int spanCount) {
    final ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    buf.putInt(payload.length);
    buf.putInt(checksum(spanCount, payload));
    buf.putInt(spanCount);
    buf.put(payload);
    buf.flip();
    return buf;
  }

  static int checksum(int spanCount, byte[] payload) {
    final CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).putInt(0, spanCount));
    crc.update(payload);
    return (int) crc.getValue();
  }
}
