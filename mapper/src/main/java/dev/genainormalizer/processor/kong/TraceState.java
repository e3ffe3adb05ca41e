package dev.genainormalizer.processor.kong;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the processor knows about one trace: every span id seen (to de-duplicate retried batches and
 * to walk ancestry across batches), the facts of dropped Kong spans, and the kept spans held until
 * their ancestry is known. Guarded by the processor's lock.
 */
final class TraceState {
  enum Role {
    KEPT,
    INFRA,
    /** An infrastructure span that starts Kong's part of the trace: its parent is the caller's. */
    ROOT
  }

  /**
   * A span id seen in the trace.
   *
   * @param fingerprint tells a retried copy of the span (same fingerprint) from another span that
   *     reuses its id
   */
  record Known(ByteString parent, Role role, int fingerprint) {}

  record Held(
      Span span, SpanGroup group, boolean genAi, boolean kongSpan, long arrivedAt, long bytes) {}

  /**
   * Where a kept span goes.
   *
   * @param parent its new parent span id (empty for none)
   * @param complete whether its ancestry was resolved, rather than guessed
   * @param root the Kong root its ancestry passed through, or null
   */
  record Resolution(ByteString parent, boolean complete, ByteString root) {}

  /** A Gen AI span kept although another span of the trace had its id first. */
  record SharedId(ByteString spanId, int fingerprint) {}

  final Map<ByteString, Known> known = new HashMap<>();
  final java.util.Set<SharedId> sharedIds = new java.util.HashSet<>();
  final Map<ByteString, RootFacts> roots = new LinkedHashMap<>();
  final List<UpstreamFacts> upstream = new ArrayList<>();
  final List<Held> held = new ArrayList<>();
  long lastSeen;
  long bytes;

  /**
   * Walks a kept span's ancestors up to the nearest kept one, or through Kong's root to the
   * caller's span. An unknown parent right above a span not from Kong is taken as outside the
   * trace's Kong part (the span passes as it is); anywhere else it means spans are still missing.
   */
  Resolution resolve(ByteString parent, boolean kongSpan) {
    return walk(parent, null, null, kongSpan);
  }

  /** The best parent for a span whose ancestry could not be resolved. */
  Resolution bestEffort(boolean kongSpan) {
    if (roots.size() == 1) {
      // One Kong request in the trace: the missing spans are that request's, under its root.
      final ByteString rootId = roots.keySet().iterator().next();
      final Known root = known.get(rootId);
      final Resolution viaRoot = walk(root.parent(), root, rootId, kongSpan);
      return new Resolution(
          viaRoot.complete() ? viaRoot.parent() : ByteString.EMPTY, false, rootId);
    }
    // The unknown ancestor is almost surely a Kong span that would be dropped anyway.
    return new Resolution(ByteString.EMPTY, false, null);
  }

  /**
   * Ready to emit: ancestry resolved and, for a Gen AI span under a Kong root, its upstream try
   * seen.
   */
  boolean ready(Resolution resolution, boolean genAi) {
    return resolution.complete()
        && (!genAi || resolution.root() == null || hasBalancer(resolution.root()));
  }

  List<UpstreamFacts> upstreamOf(ByteString rootId) {
    final List<UpstreamFacts> result = new ArrayList<>();
    for (UpstreamFacts facts : upstream) {
      if (facts.parent().equals(rootId)) {
        result.add(facts);
      }
    }
    return result;
  }

  private boolean hasBalancer(ByteString rootId) {
    for (UpstreamFacts facts : upstream) {
      if (!facts.dns() && facts.parent().equals(rootId)) {
        return true;
      }
    }
    return false;
  }

  private Resolution walk(ByteString parent, Known lastInfra, ByteString root, boolean kongSpan) {
    ByteString p = parent;
    // Bounded by the number of known spans, so a cycle of parent ids ends as incomplete.
    for (int steps = 0; steps <= known.size(); steps++) {
      if (p.isEmpty()) {
        return new Resolution(ByteString.EMPTY, true, root);
      }
      final Known k = known.get(p);
      if (k == null) {
        if (lastInfra == null) {
          return kongSpan ? incomplete() : new Resolution(p, true, null);
        }
        return lastInfra.role() == Role.ROOT ? new Resolution(p, true, root) : incomplete();
      }
      if (k.role() == Role.KEPT) {
        return new Resolution(p, true, root);
      }
      if (k.role() == Role.ROOT && root == null) {
        root = p;
      }
      lastInfra = k;
      p = k.parent();
    }
    return incomplete();
  }

  private static Resolution incomplete() {
    return new Resolution(ByteString.EMPTY, false, null);
  }
}
