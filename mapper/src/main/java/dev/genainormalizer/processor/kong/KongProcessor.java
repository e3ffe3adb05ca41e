package dev.genainormalizer.processor.kong;

import com.google.protobuf.ByteString;
import dev.genainormalizer.pipeline.MemoryBudget;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.processor.ProcessResult;
import dev.genainormalizer.processor.ProcessorSettings;
import dev.genainormalizer.processor.TraceProcessor;
import dev.genainormalizer.processor.kong.TraceState.Held;
import dev.genainormalizer.processor.kong.TraceState.Known;
import dev.genainormalizer.processor.kong.TraceState.Resolution;
import dev.genainormalizer.processor.kong.TraceState.Role;
import dev.genainormalizer.semconv.GenAiKind;
import io.micrometer.core.instrument.Clock;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops Kong's infrastructure spans and re-parents the spans kept (Gen AI spans above all) to their
 * nearest kept ancestor, or to the caller's span that Kong's root hung from. Spans whose ancestry
 * has not arrived yet (Kong's export batches can split a request) are held per trace for {@code
 * trace_wait}; span ids are remembered as long to drop retried duplicates. Before the Kong spans
 * go, their failure and request context are copied onto the Gen AI span.
 *
 * <p>Traces with no Kong span (no infrastructure span, nothing from Kong's {@code kong-internal}
 * instrumentation scope) and no state here pass through untouched and are never held.
 */
final class KongProcessor implements TraceProcessor {
  /** Kong's hard-coded instrumentation scope name; its spans may belong to a split trace. */
  static final String KONG_SCOPE = "kong-internal";

  static final String ROOT_NAME = "kong";

  // Rough per-object costs; they only need to keep max_pending_bytes meaningful.
  private static final long TRACE_BYTES = 256;
  private static final long KNOWN_SPAN_BYTES = 112;
  private static final long HELD_SPAN_OVERHEAD_BYTES = 64;

  private final SpanNameMatcher dropNames;
  private final long traceWaitNanos;
  private final int maxPendingTraces;
  private final long maxPendingBytes;
  private final Clock clock;
  private final MemoryBudget memoryBudget;
  private final KongProcessorTelemetry telemetry;

  private final Object lock = new Object();
  // Insertion order = first seen, so the first entry is the one evicted when over a limit.
  private final LinkedHashMap<ByteString, TraceState> traces = new LinkedHashMap<>();
  private long pendingBytes;
  private long
      budgetedBytes; // what memoryBudget holds for us, brought up to pendingBytes under the lock
  private int heldCount;
  private volatile int trackedTraces;
  private volatile long trackedBytes;
  private volatile int heldSpans;

  KongProcessor(KongProcessorConfig config, ProcessorSettings settings) {
    this.dropNames = new SpanNameMatcher(config.dropSpanNames());
    this.traceWaitNanos = config.traceWait().toNanos();
    this.maxPendingTraces = config.maxPendingTraces();
    this.maxPendingBytes = config.maxPendingBytes();
    this.clock = settings.clock();
    this.memoryBudget = settings.memoryBudget();
    this.telemetry =
        new KongProcessorTelemetry(settings, this, p -> p.trackedTraces, p -> p.trackedBytes);
  }

  /** One span of the batch being processed, and what becomes of it. */
  private static final class Item {
    final Span span;
    final ByteString traceId;
    final SpanGroup group;
    final boolean genAi;
    final boolean infra;
    final boolean kongSpan;

    /** Where the span stands in the request: resourceSpans, scopeSpans and spans indexes. */
    final int resourceIndex;

    final int scopeIndex;
    final int spanIndex;

    /** What goes out at the span's place; null when dropped, held or rejected. */
    Span out;

    TraceState state;
    boolean candidate;

    Item(
        Span span,
        ByteString traceId,
        SpanGroup group,
        boolean genAi,
        boolean infra,
        boolean kongSpan,
        int resourceIndex,
        int scopeIndex,
        int spanIndex) {
      this.span = span;
      this.resourceIndex = resourceIndex;
      this.scopeIndex = scopeIndex;
      this.spanIndex = spanIndex;
      this.traceId = traceId;
      this.group = group;
      this.genAi = genAi;
      this.infra = infra;
      this.kongSpan = kongSpan;
      this.out = span;
    }
  }

  private record Emitted(Span span, SpanGroup group) {}

  /** Counts gathered under the lock and reported after it. */
  private static final class Counts {
    long infrastructure;
    long duplicate;
    long incomplete;
    long held;

    /** Spans rejected because another span of their trace has their id. */
    long collided;

    String firstCollision;
  }

  @Override
  public ProcessResult process(TraceBatch batch) {
    final ExportTraceServiceRequest request = batch.request();
    final List<Item> items = new ArrayList<>(batch.spanCount());
    final Set<ByteString> kongTraces = new HashSet<>();
    long rejected = 0;
    String firstProblem = null;
    boolean changed = false;
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      final ResourceSpans rs = request.getResourceSpans(r);
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        final ScopeSpans ss = rs.getScopeSpans(s);
        final SpanGroup group =
            new SpanGroup(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl());
        final boolean kongScope = KONG_SCOPE.equals(ss.getScope().getName());
        for (int i = 0; i < ss.getSpansCount(); i++) {
          Span span = ss.getSpans(i);
          final String problem = SpanIds.problem(span);
          if (problem != null) {
            rejected++;
            if (firstProblem == null) {
              firstProblem =
                  "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]: " + problem;
            }
            final Item item = new Item(span, null, group, false, false, false, r, s, i);
            item.out = null;
            items.add(item);
            changed = true;
            continue;
          }
          final ByteString traceId = SpanIds.traceId(span);
          if (!traceId.equals(span.getTraceId())) {
            span = span.toBuilder().setTraceId(traceId).build();
            changed = true;
          }
          if (SpanIds.isOwnParent(span)) {
            // a span cannot be its own parent; backends would draw a loop or hide it
            span = span.toBuilder().clearParentSpanId().build();
            changed = true;
          }
          final boolean genAi = GenAiKind.isGenAi(span);
          final boolean infra = !genAi && dropNames.matches(span.getName());
          final boolean kongSpan = infra || kongScope;
          if (kongSpan) {
            kongTraces.add(traceId);
          }
          items.add(new Item(span, traceId, group, genAi, infra, kongSpan, r, s, i));
        }
      }
    }

    final List<Emitted> released = new ArrayList<>();
    final Counts counts = new Counts();
    synchronized (lock) {
      if (!kongTraces.isEmpty() || !traces.isEmpty()) {
        changed |= applyState(items, kongTraces, released, counts);
      }
    }
    if (counts.collided > 0) {
      rejected += counts.collided;
      if (firstProblem == null) {
        firstProblem = counts.firstCollision;
      }
    }
    telemetry.invalid(rejected);
    telemetry.infrastructure(counts.infrastructure);
    telemetry.duplicate(counts.duplicate);
    telemetry.incomplete(counts.incomplete);

    final TraceBatch output =
        changed || !released.isEmpty() ? rebuild(request, items, released) : batch;
    return rejected == 0
        ? new ProcessResult(output, 0, "", counts.held)
        : new ProcessResult(
            output,
            rejected,
            rejected
                + " invalid span"
                + (rejected == 1 ? "" : "s")
                + " rejected, first: "
                + firstProblem,
            counts.held);
  }

  @Override
  public TraceBatch flush(boolean all) {
    final List<Emitted> released = new ArrayList<>();
    final Counts counts = new Counts();
    synchronized (lock) {
      final long now = clock.monotonicTime();
      final Iterator<TraceState> it = traces.values().iterator();
      while (it.hasNext()) {
        final TraceState st = it.next();
        final Iterator<Held> held = st.held.iterator();
        while (held.hasNext()) {
          final Held h = held.next();
          if (all || now - h.arrivedAt() >= traceWaitNanos) {
            held.remove();
            heldCount--;
            addBytes(st, -h.bytes());
            released.add(emit(st, h, counts));
          }
        }
        if (st.held.isEmpty() && (all || now - st.lastSeen >= traceWaitNanos)) {
          it.remove();
          pendingBytes -= st.bytes;
        }
      }
      updateGauges();
    }
    telemetry.incomplete(counts.incomplete);
    return released.isEmpty() ? TraceBatch.EMPTY : rebuild(null, List.of(), released);
  }

  @Override
  public Duration maxHold() {
    return Duration.ofNanos(traceWaitNanos);
  }

  @Override
  public void forget(TraceBatch batch) {
    synchronized (lock) {
      if (traces.isEmpty()) {
        return;
      }
      for (ResourceSpans rs : batch.request().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (SpanIds.problem(span) == null) {
              forgetSpan(span);
            }
          }
        }
      }
      updateGauges();
    }
  }

  // The facts a dropped Kong span left (root, upstream) stay: the retry brings the same facts.
  private void forgetSpan(Span span) {
    final TraceState st = traces.get(SpanIds.traceId(span));
    if (st == null) {
      return;
    }
    if (st.sharedIds.remove(new TraceState.SharedId(span.getSpanId(), fingerprint(span)))) {
      addBytes(st, -KNOWN_SPAN_BYTES);
      return;
    }
    if (st.known.remove(span.getSpanId()) == null) {
      return;
    }
    addBytes(st, -KNOWN_SPAN_BYTES);
    final Iterator<Held> it = st.held.iterator();
    while (it.hasNext()) {
      final Held h = it.next();
      if (h.span().getSpanId().equals(span.getSpanId())) {
        it.remove();
        heldCount--;
        addBytes(st, -h.bytes());
      }
    }
  }

  @Override
  public int pendingSpans() {
    return heldSpans;
  }

  /**
   * Registers, de-duplicates, drops, holds and releases under the lock; true if anything changed.
   */
  private boolean applyState(
      List<Item> items, Set<ByteString> kongTraces, List<Emitted> released, Counts counts) {
    final long now = clock.monotonicTime();
    final Map<ByteString, TraceState> touched = new LinkedHashMap<>();
    boolean changed = false;
    for (Item item : items) {
      if (item.traceId == null) {
        continue;
      }
      TraceState st = touched.get(item.traceId);
      if (st == null) {
        st = traces.get(item.traceId);
        if (st == null) {
          if (!kongTraces.contains(item.traceId)) {
            continue;
          }
          st = new TraceState();
          traces.put(item.traceId, st);
          addBytes(st, TRACE_BYTES);
        }
        touched.put(item.traceId, st);
        st.lastSeen = now;
      }
      final Span span = item.span;
      final int fingerprint = fingerprint(span);
      final Known seen = st.known.get(span.getSpanId());
      if (seen != null) {
        if (seen.fingerprint() == fingerprint) {
          item.out = null;
          counts.duplicate++;
          changed = true;
          continue;
        }
        // Another span with a taken id: invalid input, not a retry. The Gen AI span is what the
        // operator came for, so it goes on (its id stays the first span's in the ancestry);
        // the rest are rejected and reported.
        if (item.genAi) {
          if (!st.sharedIds.add(new TraceState.SharedId(span.getSpanId(), fingerprint))) {
            item.out = null;
            counts.duplicate++;
            changed = true;
            continue;
          }
          addBytes(st, KNOWN_SPAN_BYTES);
          item.state = st;
          item.candidate = true;
        } else {
          item.out = null;
          counts.collided++;
          if (counts.firstCollision == null) {
            counts.firstCollision = where(item) + ": " + collision(span);
          }
          changed = true;
        }
        continue;
      }
      item.state = st;
      final ByteString parent = SpanIds.parent(span);
      final Role role = !item.infra ? Role.KEPT : isRoot(span) ? Role.ROOT : Role.INFRA;
      st.known.put(span.getSpanId(), new Known(parent, role, fingerprint));
      addBytes(st, KNOWN_SPAN_BYTES);
      if (role == Role.ROOT) {
        final RootFacts facts = RootFacts.of(span);
        st.roots.put(span.getSpanId(), facts);
        addBytes(st, facts.approximateBytes());
      }
      if (UpstreamFacts.isUpstream(span.getName())) {
        final UpstreamFacts facts = UpstreamFacts.of(span, parent);
        st.upstream.add(facts);
        addBytes(st, facts.approximateBytes());
      }
      if (item.infra) {
        item.out = null;
        counts.infrastructure++;
        changed = true;
      } else {
        item.candidate = true;
      }
    }

    // Spans held from earlier batches first: this batch may have brought what they waited for.
    for (TraceState st : touched.values()) {
      final Iterator<Held> it = st.held.iterator();
      while (it.hasNext()) {
        final Held h = it.next();
        if (st.ready(st.resolve(SpanIds.parent(h.span()), h.kongSpan()), h.genAi())) {
          it.remove();
          heldCount--;
          addBytes(st, -h.bytes());
          released.add(emit(st, h, counts));
        }
      }
    }

    for (Item item : items) {
      if (!item.candidate) {
        continue;
      }
      final TraceState st = item.state;
      Resolution res = st.resolve(SpanIds.parent(item.span), item.kongSpan);
      if (st.ready(res, item.genAi) || traceWaitNanos == 0) {
        if (!res.complete()) {
          res = st.bestEffort(item.kongSpan);
          counts.incomplete++;
        }
        item.out = finish(st, item.span, res, item.genAi);
        changed |= item.out != item.span;
      } else {
        final long bytes = item.span.getSerializedSize() + HELD_SPAN_OVERHEAD_BYTES;
        st.held.add(new Held(item.span, item.group, item.genAi, item.kongSpan, now, bytes));
        heldCount++;
        counts.held++;
        addBytes(st, bytes);
        item.out = null;
        changed = true;
      }
    }

    if (traceWaitNanos == 0) {
      // Nothing is held or remembered beyond the batch.
      for (ByteString traceId : touched.keySet()) {
        pendingBytes -= traces.remove(traceId).bytes;
      }
    }
    evictOverLimits(released, counts);
    updateGauges();
    return changed;
  }

  private void evictOverLimits(List<Emitted> released, Counts counts) {
    final Iterator<TraceState> it = traces.values().iterator();
    while ((traces.size() > maxPendingTraces || pendingBytes > maxPendingBytes) && it.hasNext()) {
      final TraceState st = it.next();
      for (Held h : st.held) {
        released.add(emit(st, h, counts));
      }
      heldCount -= st.held.size();
      it.remove();
      pendingBytes -= st.bytes;
    }
  }

  /** A held span going out: its resolved parent, else the best one known (counted incomplete). */
  private Emitted emit(TraceState st, Held h, Counts counts) {
    Resolution res = st.resolve(SpanIds.parent(h.span()), h.kongSpan());
    if (!res.complete()) {
      res = st.bestEffort(h.kongSpan());
      counts.incomplete++;
    }
    return new Emitted(finish(st, h.span(), res, h.genAi()), h.group());
  }

  /** The kept span as it goes out: re-parented and, for a Gen AI span, enriched. */
  private static Span finish(TraceState st, Span span, Resolution res, boolean genAi) {
    Span.Builder builder = null;
    if (!res.parent().equals(span.getParentSpanId())) {
      builder = span.toBuilder().setParentSpanId(res.parent());
    }
    if (genAi && res.root() != null) {
      if (builder == null) {
        builder = span.toBuilder();
      }
      GenAiEnricher.enrich(builder, st.roots.get(res.root()), st.upstreamOf(res.root()));
    }
    return builder == null ? span : builder.build();
  }

  private void addBytes(TraceState st, long bytes) {
    st.bytes += bytes;
    pendingBytes += bytes;
  }

  private void updateGauges() {
    if (pendingBytes != budgetedBytes) {
      memoryBudget.acquire(pendingBytes - budgetedBytes);
      budgetedBytes = pendingBytes;
    }
    trackedTraces = traces.size();
    trackedBytes = pendingBytes;
    heldSpans = heldCount;
  }

  /** What stays the same when a client sends the same span again. */
  private static int fingerprint(Span span) {
    int h = span.getName().hashCode();
    h = 31 * h + Long.hashCode(span.getStartTimeUnixNano());
    h = 31 * h + Long.hashCode(span.getEndTimeUnixNano());
    return 31 * h + span.getKindValue();
  }

  private static String where(Item item) {
    return "resourceSpans["
        + item.resourceIndex
        + "].scopeSpans["
        + item.scopeIndex
        + "].spans["
        + item.spanIndex
        + "]";
  }

  private static String collision(Span span) {
    return "spanId "
        + SpanIds.hex(span.getSpanId())
        + " ('"
        + span.getName()
        + "') is already used by another span of trace "
        + SpanIds.hex(SpanIds.traceId(span))
        + " (expected: unique span ids in a trace)";
  }

  private boolean isRoot(Span span) {
    return ROOT_NAME.equals(span.getName()) || span.getKind() == Span.SpanKind.SPAN_KIND_SERVER;
  }

  /**
   * The batch's spans that go out now, in their original resource and scope groups and order,
   * followed by released held spans grouped by their original resource and scope.
   */
  private static TraceBatch rebuild(
      ExportTraceServiceRequest request, List<Item> items, List<Emitted> released) {
    final ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    int count = 0;
    if (request != null) {
      int index = 0;
      for (ResourceSpans rs : request.getResourceSpansList()) {
        final List<ScopeSpans> scopes = new ArrayList<>();
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          final List<Span> spans = new ArrayList<>();
          for (int i = 0; i < ss.getSpansCount(); i++) {
            final Span span = items.get(index++).out;
            if (span != null) {
              spans.add(span);
            }
          }
          if (!spans.isEmpty()) {
            scopes.add(ss.toBuilder().clearSpans().addAllSpans(spans).build());
            count += spans.size();
          }
        }
        if (!scopes.isEmpty()) {
          out.addResourceSpans(rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes));
        }
      }
    }
    final Map<SpanGroup.ResourceKey, Map<SpanGroup.ScopeKey, List<Span>>> groups =
        new LinkedHashMap<>();
    for (Emitted e : released) {
      groups
          .computeIfAbsent(e.group().resourceKey(), k -> new LinkedHashMap<>())
          .computeIfAbsent(e.group().scopeKey(), k -> new ArrayList<>())
          .add(e.span());
    }
    for (var resource : groups.entrySet()) {
      final ResourceSpans.Builder rs =
          ResourceSpans.newBuilder()
              .setResource(resource.getKey().resource())
              .setSchemaUrl(resource.getKey().schemaUrl());
      for (var scope : resource.getValue().entrySet()) {
        rs.addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(scope.getKey().scope())
                .setSchemaUrl(scope.getKey().schemaUrl())
                .addAllSpans(scope.getValue()));
        count += scope.getValue().size();
      }
      out.addResourceSpans(rs);
    }
    return new TraceBatch(out.build(), count);
  }
}
