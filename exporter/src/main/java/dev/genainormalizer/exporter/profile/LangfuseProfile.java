package dev.genainormalizer.exporter.profile;

import dev.genainormalizer.semconv.GenAiAttributes;
import dev.genainormalizer.semconv.GenAiKind;

/**
 * The {@code langfuse} profile (vendors.md §1 "Translation the forwarder should do" and §8.8): a
 * parentless root, {@code session.id}/{@code user.id} on every span of the trace, an explicit
 * {@code langfuse.observation.type}, optional {@code langfuse.environment}/{@code
 * langfuse.trace.name}, messages as JSON strings, and no {@code gen_ai.prompt*}/{@code
 * gen_ai.completion*} keys, which Langfuse would take as Traceloop input/output before it reads
 * {@code gen_ai.input.messages}.
 */
final class LangfuseProfile {
  static final String OBSERVATION_TYPE = "langfuse.observation.type";
  static final String ENVIRONMENT = "langfuse.environment";
  static final String TRACE_NAME = "langfuse.trace.name";

  static final VendorProfile<LangfuseSettings> PROFILE =
      new VendorProfile<>(
          "langfuse", LangfuseSettings.class, LangfuseSettings.defaults(), LangfuseProfile::mapper);

  private LangfuseProfile() {}

  private static VendorMapper mapper(LangfuseSettings settings, ContentPolicy content) {
    return new ProfileMapper(
        ProfileMapper.ResourceStep.NONE,
        span -> map(span, settings),
        ContentKeys.BASE,
        content,
        settings.rerootOrphans());
  }

  private static void map(SpanDraft span, LangfuseSettings settings) {
    span.removeIf(k -> k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"));
    span.putStringIfAbsent(GenAiAttributes.SESSION_ID, span.trace().conversationId());
    span.putStringIfAbsent(GenAiAttributes.USER_ID, span.trace().userId());
    if (span.kind().isGenAi()) {
      span.putStringIfAbsent(OBSERVATION_TYPE, observationType(span.kind()));
    }
    if (!settings.environment().isEmpty()) {
      span.putStringIfAbsent(ENVIRONMENT, settings.environment());
    }
    if (!settings.traceName().isEmpty()) {
      span.putStringIfAbsent(TRACE_NAME, settings.traceName());
    }
  }

  /** Langfuse's observation types (vendors.md §1 "Observation type", priority 1). */
  private static String observationType(GenAiKind kind) {
    return switch (kind) {
      case LLM -> "generation";
      case EMBEDDING -> "embedding";
      case TOOL -> "tool";
      case AGENT -> "agent";
      case RETRIEVER -> "retriever";
      case CHAIN -> "chain";
      case NONE -> "span";
    };
  }
}
