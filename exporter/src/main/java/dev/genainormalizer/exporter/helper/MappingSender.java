package dev.genainormalizer.exporter.helper;

import static dev.genainormalizer.semconv.GenAiAttributes.INPUT_MESSAGES;
import static dev.genainormalizer.semconv.GenAiAttributes.OPERATION_NAME;
import static dev.genainormalizer.semconv.GenAiAttributes.OUTPUT_MESSAGES;

import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.VendorMapper;
import dev.genainormalizer.pipeline.TraceBatch;
import dev.genainormalizer.semconv.GenAiKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Applies one exporter's vendor mapping profile to each batch, then hands the mapped batch to the
 * transport. The fan-out shares one immutable request between exporters and every mapper builds a
 * new one, so a profile never leaks into another exporter's output.
 *
 * <p>Also warns, once per exporter, when Gen AI spans arrive without message content: the vendor's
 * input and output columns would then stay empty, usually because Kong's {@code log_payloads} is
 * off. With {@code content: drop} the content is removed on purpose, so there is nothing to warn
 * about.
 */
public final class MappingSender implements TraceSender {

  private final String exporterId;
  private final String vendor;
  private final String profile;
  private final VendorMapper mapper;
  private final ContentPolicy content;
  private final TraceSender delegate;
  private final Logger logger;
  private final AtomicBoolean warnedNoPayloads = new AtomicBoolean();

  /**
   * @param exporterId the exporter's id, for the log line
   * @param vendor the backend's display name ({@code Fiddler}), for the log line
   * @param profile the profile's name, for {@link #toString()}
   * @param mapper the profile's mapper, already built with the exporter's settings and content
   *     policy
   * @param content the exporter's content policy
   * @param delegate sends the mapped batch
   * @param logger the exporter's logger, which the once-only warning goes to
   */
  public MappingSender(
      String exporterId,
      String vendor,
      String profile,
      VendorMapper mapper,
      ContentPolicy content,
      TraceSender delegate,
      Logger logger) {
    this.exporterId = Objects.requireNonNull(exporterId, "exporterId");
    this.vendor = Objects.requireNonNull(vendor, "vendor");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.content = Objects.requireNonNull(content, "content");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public CompletableFuture<Void> send(TraceBatch batch) {
    final TraceBatch mapped;
    try {
      mapped = map(batch);
    } catch (RuntimeException e) {
      // Mappers are written never to throw; if one does, retrying the same batch cannot help.
      return CompletableFuture.failedFuture(
          new PermanentExportException(
              "profile " + profile + " failed on a batch of " + batch.spanCount() + " spans: " + e,
              e));
    }
    return delegate.send(mapped);
  }

  /** The batch as this exporter's backend gets it. Never modifies {@code batch}. */
  public TraceBatch map(TraceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (content == ContentPolicy.KEEP && !warnedNoPayloads.get()) {
      warnIfNoPayloads(batch.request());
    }
    final ExportTraceServiceRequest request = mapper.map(batch.request());
    return new TraceBatch(request, TraceBatch.countSpans(request));
  }

  @Override
  public TraceBatch asSent(TraceBatch batch) {
    return delegate.asSent(map(batch));
  }

  @Override
  public long maxRequestBytes() {
    return delegate.maxRequestBytes();
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "profile=" + profile + ", content=" + content.yamlName() + ", " + delegate;
  }

  private void warnIfNoPayloads(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (isModelCallWithoutMessages(span) && warnedNoPayloads.compareAndSet(false, true)) {
            logger.warn(
                "exporter {}: Gen AI span '{}' has neither {} nor {}, so {}'s input and output"
                    + " will be empty. Kong records message content only with the ai-proxy setting"
                    + " logging.log_payloads: true. (Logged once.)",
                exporterId,
                span.getName(),
                INPUT_MESSAGES,
                OUTPUT_MESSAGES,
                vendor);
            return;
          }
        }
      }
    }
  }

  static boolean isModelCallWithoutMessages(Span span) {
    boolean modelCall = false;
    for (KeyValue kv : span.getAttributesList()) {
      final String key = kv.getKey();
      if (key.equals(INPUT_MESSAGES) || key.equals(OUTPUT_MESSAGES)) {
        return false;
      }
      // a language-model call carries messages; an embeddings call has none to miss
      if (key.equals(OPERATION_NAME)
          && GenAiKind.ofOperation(kv.getValue().getStringValue()) == GenAiKind.LLM) {
        modelCall = true;
      }
    }
    return modelCall;
  }
}
