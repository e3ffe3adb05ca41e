package dev.genainormalizer.exporter.loadbalancing;

import java.util.List;

/** {@code resolver.static}: the configured hostnames, forever. */
final class StaticResolver implements EndpointResolver {
  private final List<String> hostnames;

  StaticResolver(List<String> hostnames) {
    this.hostnames = hostnames.stream().map(String::trim).distinct().sorted().toList();
  }

  @Override
  public List<String> resolve() {
    return hostnames;
  }

  @Override
  public boolean dynamic() {
    return false;
  }

  @Override
  public String toString() {
    return "static" + hostnames;
  }
}
