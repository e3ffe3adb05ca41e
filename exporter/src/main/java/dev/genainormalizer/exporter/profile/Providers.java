package dev.genainormalizer.exporter.profile;

import java.util.Map;

/**
 * {@code gen_ai.provider.name} values (semconv v1.41 registry) in OpenInference's vocabulary
 * (vendors.md §3: well-known {@code llm.provider} and {@code llm.system} values). A provider not in
 * the table keeps its name as {@code llm.provider} and gets no {@code llm.system}.
 */
final class Providers {
  private static final Map<String, String> PROVIDER =
      Map.ofEntries(
          Map.entry("openai", "openai"),
          Map.entry("azure.ai.openai", "azure"),
          Map.entry("azure.ai.inference", "azure"),
          Map.entry("anthropic", "anthropic"),
          Map.entry("cohere", "cohere"),
          Map.entry("mistral_ai", "mistralai"),
          Map.entry("x_ai", "xai"),
          Map.entry("deepseek", "deepseek"),
          Map.entry("groq", "groq"),
          Map.entry("perplexity", "perplexity"),
          Map.entry("aws.bedrock", "aws"),
          Map.entry("gcp.vertex_ai", "google"),
          Map.entry("gcp.gen_ai", "google"),
          Map.entry("gcp.gemini", "google"));

  /** The model family ({@code llm.system}), only where the provider name pins it down. */
  private static final Map<String, String> SYSTEM =
      Map.ofEntries(
          Map.entry("openai", "openai"),
          Map.entry("azure.ai.openai", "openai"),
          Map.entry("anthropic", "anthropic"),
          Map.entry("cohere", "cohere"),
          Map.entry("mistral_ai", "mistralai"),
          Map.entry("x_ai", "xai"),
          Map.entry("deepseek", "deepseek"),
          Map.entry("gcp.vertex_ai", "vertexai"));

  private Providers() {}

  static String openInferenceProvider(String provider) {
    return PROVIDER.getOrDefault(provider, provider);
  }

  /** May be null. */
  static String openInferenceSystem(String provider) {
    return SYSTEM.get(provider);
  }
}
