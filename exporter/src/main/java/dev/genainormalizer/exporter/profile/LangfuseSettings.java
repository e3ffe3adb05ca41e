package dev.genainormalizer.exporter.profile;

/**
 * Settings of the {@code langfuse} profile.
 *
 * @param environment {@code langfuse.environment} on every span; empty (default) leaves it to
 *     Langfuse, which reads {@code deployment.environment[.name]} and falls back to {@code default}
 * @param traceName {@code langfuse.trace.name} on every span; empty (default) lets Langfuse name
 *     the trace after its root span
 * @param rerootOrphans clear the parent of spans whose parent is not in the request, so Langfuse
 *     gets a root span and creates a complete trace; default true. Turn off when the caller also
 *     sends its own spans to the same Langfuse project.
 */
public record LangfuseSettings(String environment, String traceName, Boolean rerootOrphans) {
  public LangfuseSettings {
    environment = environment == null ? "" : environment.trim();
    traceName = traceName == null ? "" : traceName.trim();
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
  }

  public static LangfuseSettings defaults() {
    return new LangfuseSettings("", "", true);
  }
}
