package dev.genainormalizer.processor.genai;

import java.util.List;

/**
 * What a provider response body says about the call, for attributes Kong left out. Fields are null
 * when the body does not give them.
 *
 * @param id response id ({@code chatcmpl-…}, {@code msg_…}); null for Kong's synthesized stream
 *     body
 * @param model the model that answered
 * @param finishReasons one per choice, as the provider wrote them; empty when unknown
 * @param inputTokens all input tokens, cached ones included (Anthropic's separate cache counts are
 *     added to its {@code input_tokens})
 * @param outputTokens output tokens, reasoning included
 * @param cacheReadTokens input tokens read from the provider's prompt cache
 * @param cacheCreationTokens input tokens written to the prompt cache (Anthropic)
 * @param reasoningTokens output tokens spent on reasoning (OpenAI)
 */
record ResponseSummary(
    String id,
    String model,
    List<String> finishReasons,
    Long inputTokens,
    Long outputTokens,
    Long cacheReadTokens,
    Long cacheCreationTokens,
    Long reasoningTokens) {

  static final ResponseSummary NONE =
      new ResponseSummary(null, null, List.of(), null, null, null, null, null);

  ResponseSummary {
    finishReasons = List.copyOf(finishReasons);
  }

  ResponseSummary withFinishReasons(List<String> reasons) {
    return new ResponseSummary(
        id,
        model,
        reasons,
        inputTokens,
        outputTokens,
        cacheReadTokens,
        cacheCreationTokens,
        reasoningTokens);
  }
}
