package dev.genainormalizer.receiver;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A running source of spans. {@link #stop()} is idempotent. */
public interface Receiver {

  /** Binds its ports; completes once it accepts requests. */
  CompletableFuture<Void> start();

  /** Stops accepting; completes once in-flight requests are answered. */
  CompletableFuture<Void> stop();

  /** Bound addresses by protocol ({@code grpc}, {@code http}), valid after {@link #start()}. */
  Map<String, InetSocketAddress> boundAddresses();
}
