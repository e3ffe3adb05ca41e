package dev.genainormalizer.exporter.profile;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request into requests of at most a given number of spans and serialized (protobuf) size,
 * by span, keeping each span under its own resource and scope and the spans in order. Used for
 * backends with a hard request limit, such as Dynatrace's 8 MB ({@link
 * VendorProfiles#DYNATRACE_MAX_REQUEST_BYTES}), and by the exporters' batching ({@code
 * sending_queue.batch.max_size}). Sizes are computed exactly, without serializing. A span too large
 * to fit any request on its own is returned alone in a part of its own, which is then over the
 * limit: callers check {@link ExportTraceServiceRequest#getSerializedSize()} and drop or count such
 * a part.
 */
public final class RequestSplitter {
  // Field numbers: ExportTraceServiceRequest.resource_spans=1; ResourceSpans.resource=1,
  // scope_spans=2, schema_url=3; ScopeSpans.scope=1, spans=2, schema_url=3. All tags are one byte.
  private static final int TAG = 1;

  /**
   * The most one request may hold.
   *
   * @param spans at most this many spans; 0 for no limit
   * @param bytes at most this many serialized bytes; 0 for no limit
   */
  public record Limit(long spans, long bytes) {
    /** No limit at all. */
    public static final Limit NONE = new Limit(0, 0);

    public Limit {
      if (spans < 0 || bytes < 0) {
        throw new IllegalArgumentException(
            "limit: " + spans + " spans, " + bytes + " bytes (expected: >= 0)");
      }
    }

    public static Limit ofBytes(long bytes) {
      return new Limit(0, bytes);
    }

    /** Whether a request of {@code spans} spans and {@code bytes} bytes is within this limit. */
    public boolean allows(long spans, long bytes) {
      return (this.spans == 0 || spans <= this.spans) && (this.bytes == 0 || bytes <= this.bytes);
    }

    /** The tighter of the two limits on each count. */
    public Limit and(Limit other) {
      return new Limit(tighter(spans, other.spans), tighter(bytes, other.bytes));
    }

    private static long tighter(long a, long b) {
      return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }
  }

  private RequestSplitter() {}

  public static List<ExportTraceServiceRequest> split(
      ExportTraceServiceRequest request, int maxBytes) {
    requireNonNull(request, "request");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    final Limit limit = Limit.ofBytes(maxBytes);
    return split(request, limit, limit);
  }

  /**
   * Cuts {@code request} into consecutive parts: the first holds what fits in {@code first} (room
   * left in a batch being filled), each of the others at most {@code rest}. The first part is empty
   * (no span) when not even the first span fits in {@code first} but would in {@code rest}; a span
   * over {@code rest} on its own goes alone into a part of its own. A request that fits in {@code
   * first} is returned as it is.
   */
  public static List<ExportTraceServiceRequest> split(
      ExportTraceServiceRequest request, Limit first, Limit rest) {
    requireNonNull(request, "request");
    requireNonNull(first, "first");
    requireNonNull(rest, "rest");
    if (first.allows(
        first.spans() == 0 ? 0 : countSpans(request),
        first.bytes() == 0 ? 0 : request.getSerializedSize())) {
      return List.of(request);
    }
    final List<ExportTraceServiceRequest> parts = new ArrayList<>();
    Limit limit = first;
    Part part = new Part();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (!limit.allows(part.spans + 1L, part.sizeWith(rs, ss, span))) {
            final boolean firstCut = parts.isEmpty() && limit == first;
            if (!part.isEmpty() || (firstCut && !first.equals(rest))) {
              parts.add(part.build());
              part = new Part();
            }
            limit = rest; // a span over rest alone goes into the (empty) part anyway
          }
          part.add(rs, ss, span);
        }
      }
    }
    if (!part.isEmpty()) {
      parts.add(part.build());
    }
    return parts;
  }

  private static int countSpans(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  private static int field(int contentSize) {
    return TAG + CodedOutputStream.computeUInt32SizeNoTag(contentSize) + contentSize;
  }

  private static int stringField(String s) {
    return s.isEmpty() ? 0 : CodedOutputStream.computeStringSize(3, s);
  }

  /** One request being filled: groups by (resource spans, scope spans) of the input, in order. */
  private static final class Part {
    private final List<ResourceGroup> groups = new ArrayList<>();
    private int size;
    private int spans;

    boolean isEmpty() {
      return groups.isEmpty();
    }

    int sizeWith(ResourceSpans rs, ScopeSpans ss, Span span) {
      final int spanField = field(span.getSerializedSize());
      final ResourceGroup last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last == null || last.source != rs) {
        return size
            + field(ResourceGroup.baseSize(rs) + field(ScopeGroup.baseSize(ss) + spanField));
      }
      final ScopeGroup lastScope = last.scopes.get(last.scopes.size() - 1);
      final int rsContent =
          lastScope.source != ss
              ? last.contentSize() + field(ScopeGroup.baseSize(ss) + spanField)
              : last.contentSize()
                  - field(lastScope.contentSize)
                  + field(lastScope.contentSize + spanField);
      return size - field(last.contentSize()) + field(rsContent);
    }

    void add(ResourceSpans rs, ScopeSpans ss, Span span) {
      final int newSize = sizeWith(rs, ss, span);
      ResourceGroup last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last == null || last.source != rs) {
        last = new ResourceGroup(rs);
        groups.add(last);
      }
      ScopeGroup scope = last.scopes.isEmpty() ? null : last.scopes.get(last.scopes.size() - 1);
      if (scope == null || scope.source != ss) {
        scope = new ScopeGroup(ss);
        last.scopes.add(scope);
      }
      scope.spans.add(span);
      scope.contentSize += field(span.getSerializedSize());
      size = newSize;
      spans++;
    }

    ExportTraceServiceRequest build() {
      final ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
      for (ResourceGroup g : groups) {
        final ResourceSpans.Builder rs = g.source.toBuilder().clearScopeSpans();
        for (ScopeGroup s : g.scopes) {
          rs.addScopeSpans(s.source.toBuilder().clearSpans().addAllSpans(s.spans));
        }
        b.addResourceSpans(rs);
      }
      return b.build();
    }
  }

  private static final class ResourceGroup {
    final ResourceSpans source;
    final List<ScopeGroup> scopes = new ArrayList<>();
    final int baseSize;

    ResourceGroup(ResourceSpans source) {
      this.source = source;
      this.baseSize = baseSize(source);
    }

    static int baseSize(ResourceSpans rs) {
      return (rs.hasResource() ? field(rs.getResource().getSerializedSize()) : 0)
          + stringField(rs.getSchemaUrl());
    }

    int contentSize() {
      int n = baseSize;
      for (ScopeGroup s : scopes) {
        n += field(s.contentSize);
      }
      return n;
    }
  }

  private static final class ScopeGroup {
    final ScopeSpans source;
    final List<Span> spans = new ArrayList<>();
    int contentSize;

    ScopeGroup(ScopeSpans source) {
      this.source = source;
      this.contentSize = baseSize(source);
    }

    static int baseSize(ScopeSpans ss) {
      return (ss.hasScope() ? field(ss.getScope().getSerializedSize()) : 0)
          + stringField(ss.getSchemaUrl());
    }
  }
}
