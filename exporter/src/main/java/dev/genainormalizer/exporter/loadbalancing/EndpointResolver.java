package dev.genainormalizer.exporter.loadbalancing;

import java.util.List;

/** Where the backends come from: a fixed list or a DNS name. */
interface EndpointResolver {

  /**
   * The current endpoints, each {@code host:port}.
   *
   * @throws Exception when they cannot be known now; the caller keeps the last known ones
   */
  List<String> resolve() throws Exception;

  /** True when {@link #resolve} may change over time, so it is worth calling again. */
  boolean dynamic();
}
