package dev.genainormalizer.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loopback ports a test must name before anything listens on them (a service in its own process, a
 * backend that comes up later, a backend that never does), held from {@link #next()} until the test
 * ends ({@code @RegisterExtension}). Each is bound by a socket that never listens: connecting to it
 * is refused, and the kernel gives its number to no other socket on the machine (neither to a bind
 * to port 0 nor as an outgoing connection's local port, which could also connect to itself), while
 * a server of the test still binds it, since both set SO_REUSEADDR (Armeria does) and the holder
 * does not listen. A port found by binding 0 and closing, by contrast, is free for any other build
 * on the machine to take before the test binds it again.
 */
public final class ReservedPorts implements AfterEachCallback {
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  /** A loopback port nobody else gets while this test runs; nothing listens on it yet. */
  public int next() {
    final Socket socket = new Socket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      close(socket);
      throw new UncheckedIOException("could not reserve a loopback port", e);
    }
    held.add(socket);
    return socket.getLocalPort();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    held.forEach(ReservedPorts::close);
    held.clear();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to release then
    }
  }
}
