package dev.genainormalizer.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.genainormalizer.exporter.profile.ContentPolicy;
import dev.genainormalizer.exporter.profile.FiddlerSettings;
import dev.genainormalizer.exporter.profile.VendorProfiles;
import dev.genainormalizer.pipeline.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MappingSenderTest {
  private static final String APP = "0b9d6e4e-3f0a-4c55-9a43-2f1d5e6c7b8a";
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.mapping-sender");
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<TraceBatch> sent = new CopyOnWriteArrayList<>();
  private final TraceSender recorder =
      batch -> {
        sent.add(batch);
        return CompletableFuture.completedFuture(null);
      };

  @BeforeEach
  void attach() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logs);
  }

  private MappingSender sender(ContentPolicy content) {
    return new MappingSender(
        "fiddler/a",
        "Fiddler",
        "fiddler",
        VendorProfiles.FIDDLER.mapper(FiddlerSettings.of(APP), content),
        content,
        recorder,
        logger);
  }

  @Test
  void sendsTheMappedCopyAndLeavesTheSharedBatchAlone() {
    final TraceBatch batch = TraceBatch.of(request(chat(true)));

    sender(ContentPolicy.KEEP).send(batch).join();

    assertThat(batch.request()).isEqualTo(request(chat(true)));
    assertThat(sent)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.spanCount()).isEqualTo(1);
              assertThat(b.request().getResourceSpans(0).getResource().getAttributesList())
                  .contains(kv("application.id", APP));
              assertThat(
                      b.request()
                          .getResourceSpans(0)
                          .getScopeSpans(0)
                          .getSpans(0)
                          .getAttributesList())
                  .contains(kv("fiddler.span.type", "llm"));
            });
  }

  @Test
  void warnsOnceWhenModelCallsCarryNoMessages() {
    final MappingSender s = sender(ContentPolicy.KEEP);

    s.send(TraceBatch.of(request(chat(true)))).join();
    assertThat(logs.list).isEmpty();
    s.send(TraceBatch.of(request(chat(false)))).join();
    s.send(TraceBatch.of(request(chat(false)))).join();

    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains(
                        "exporter fiddler/a", "gen_ai.input.messages", "Fiddler", "log_payloads"));
  }

  @Test
  void doesNotWarnWhenContentIsDroppedOnPurpose() {
    sender(ContentPolicy.DROP).send(TraceBatch.of(request(chat(false)))).join();

    assertThat(logs.list).isEmpty();
    assertThat(sent)
        .singleElement()
        .satisfies(
            b ->
                assertThat(
                        b.request()
                            .getResourceSpans(0)
                            .getScopeSpans(0)
                            .getSpans(0)
                            .getAttributesList())
                    .extracting(KeyValue::getKey)
                    .doesNotContain("gen_ai.input.messages", "gen_ai.llm.input.user"));
  }

  private static Span chat(boolean withMessages) {
    final Span.Builder b =
        Span.newBuilder()
            .setName("chat gpt-4o-mini")
            .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"));
    if (withMessages) {
      b.addAttributes(
          kv(
              "gen_ai.input.messages",
              "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"));
    }
    return b.build();
  }

  private static ExportTraceServiceRequest request(Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
