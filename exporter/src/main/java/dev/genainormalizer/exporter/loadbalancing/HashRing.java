package dev.genainormalizer.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Consistent hashing of trace ids onto endpoints. Each endpoint owns {@link #VIRTUAL_NODES} points
 * on a 64-bit ring, so adding or removing one of N endpoints moves only about 1/N of the trace ids.
 * Immutable; the hash (first 8 bytes of SHA-256) is stable across processes and restarts, so every
 * router replica with the same membership routes a trace to the same endpoint.
 */
final class HashRing {
  static final int VIRTUAL_NODES = 150;

  private final List<String> endpoints;
  private final long[] points;
  private final String[] owners;

  HashRing(List<String> endpoints) {
    this.endpoints = List.copyOf(new TreeSet<>(endpoints));
    final int n = this.endpoints.size() * VIRTUAL_NODES;
    final long[][] pairs = new long[n][];
    final List<String> byIndex = new ArrayList<>();
    int k = 0;
    for (int e = 0; e < this.endpoints.size(); e++) {
      final String endpoint = this.endpoints.get(e);
      byIndex.add(endpoint);
      for (int v = 0; v < VIRTUAL_NODES; v++) {
        pairs[k++] = new long[] {hash((endpoint + "#" + v).getBytes(StandardCharsets.UTF_8)), e};
      }
    }
    // sort by point, ties by endpoint name so the ring is independent of input order
    Arrays.sort(
        pairs,
        (a, b) -> a[0] != b[0] ? Long.compareUnsigned(a[0], b[0]) : Long.compare(a[1], b[1]));
    this.points = new long[n];
    this.owners = new String[n];
    for (int i = 0; i < n; i++) {
      points[i] = pairs[i][0];
      owners[i] = byIndex.get((int) pairs[i][1]);
    }
  }

  /** The endpoints, sorted. */
  List<String> endpoints() {
    return endpoints;
  }

  boolean isEmpty() {
    return endpoints.isEmpty();
  }

  /** The endpoint owning this trace id, or null when the ring is empty. */
  String endpointFor(ByteString traceId) {
    return endpointFor(traceId.toByteArray());
  }

  String endpointFor(byte[] traceId) {
    if (points.length == 0) {
      return null;
    }
    final long h = hash(traceId);
    // first point >= h (unsigned), wrapping to the first
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      final int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(points[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return owners[lo == points.length ? 0 : lo];
  }

  static long hash(byte[] bytes) {
    final byte[] d;
    try {
      d = MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xff);
    }
    return h;
  }

  @Override
  public String toString() {
    return "HashRing" + endpoints;
  }
}
