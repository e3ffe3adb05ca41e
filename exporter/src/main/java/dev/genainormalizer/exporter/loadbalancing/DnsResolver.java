package dev.genainormalizer.exporter.loadbalancing;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code resolver.dns}: every address the name resolves to is a backend on {@code port}. With a
 * headless Service that is one address per ready pod.
 */
final class DnsResolver implements EndpointResolver {

  /** {@code InetAddress::getAllByName} in production; a function of the test's in tests. */
  @FunctionalInterface
  interface Lookup {
    InetAddress[] lookup(String hostname) throws UnknownHostException;
  }

  private final String hostname;
  private final int port;
  private final Lookup lookup;

  DnsResolver(String hostname, int port, Lookup lookup) {
    this.hostname = hostname;
    this.port = port;
    this.lookup = lookup;
  }

  @Override
  public List<String> resolve() throws UnknownHostException {
    final InetAddress[] addresses = lookup.lookup(hostname);
    return Arrays.stream(addresses)
        .map(
            a ->
                (a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
                    + ":"
                    + port)
        .distinct()
        .sorted()
        .toList();
  }

  @Override
  public boolean dynamic() {
    return true;
  }

  @Override
  public String toString() {
    return "dns " + hostname + ":" + port;
  }
}
