package dev.genainormalizer.receiver.otlp;

import io.grpc.Compressor;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@link Compressor}s that make a real gRPC client send what a test needs in a compressed frame: a
 * message the client could not hold (a gzip bomb), or a coding the server does not know.
 */
final class GrpcTestCompressors {
  private GrpcTestCompressors() {}

  /** {@code gzip} whose every message comes out as {@code gzipped}, whatever it was. */
  static Compressor sending(byte[] gzipped) {
    return new Compressor() {
      @Override
      public String getMessageEncoding() {
        return "gzip";
      }

      @Override
      public OutputStream compress(OutputStream os) {
        return new OutputStream() {
          @Override
          public void write(int b) {
            // the real message is replaced by the bomb
          }

          @Override
          public void close() throws IOException {
            os.write(gzipped);
            os.close();
          }
        };
      }
    };
  }

  /** An encoding named {@code name} that leaves the bytes as they are. */
  static Compressor named(String name) {
    return new Compressor() {
      @Override
      public String getMessageEncoding() {
        return name;
      }

      @Override
      public OutputStream compress(OutputStream os) {
        return os;
      }
    };
  }
}
