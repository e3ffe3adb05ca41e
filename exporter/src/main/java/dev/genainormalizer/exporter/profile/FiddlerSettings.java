package dev.genainormalizer.exporter.profile;

import dev.genainormalizer.config.Validatable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Settings of the {@code fiddler} profile.
 *
 * @param applicationId the Fiddler application UUID, sent as the resource attribute {@code
 *     application.id}; required (Fiddler rejects traces without it)
 * @param agentName {@code gen_ai.agent.name} for spans that have none; default {@code
 *     <UNKNOWN_AGENT>}
 * @param rerootOrphans clear the parent of spans whose parent is not in the request, so the trace
 *     has a root in Fiddler; default true
 */
public record FiddlerSettings(String applicationId, String agentName, Boolean rerootOrphans)
    implements Validatable {
  public static final String DEFAULT_AGENT_NAME = "<UNKNOWN_AGENT>";

  public FiddlerSettings {
    applicationId = applicationId == null ? "" : applicationId.trim();
    agentName = agentName == null || agentName.isBlank() ? DEFAULT_AGENT_NAME : agentName;
    rerootOrphans = rerootOrphans == null ? Boolean.TRUE : rerootOrphans;
  }

  /** No application id yet: {@link #validate()} reports it. */
  public static FiddlerSettings defaults() {
    return new FiddlerSettings("", DEFAULT_AGENT_NAME, true);
  }

  public static FiddlerSettings of(String applicationId) {
    return new FiddlerSettings(applicationId, DEFAULT_AGENT_NAME, true);
  }

  @Override
  public List<String> validate() {
    final List<String> problems = new ArrayList<>();
    if (applicationId.isEmpty()) {
      problems.add(
          "application_id: required (Fiddler rejects traces without the resource attribute"
              + " application.id)");
    } else {
      try {
        UUID.fromString(applicationId);
      } catch (IllegalArgumentException e) {
        problems.add("application_id: " + applicationId + " (expected: the application's UUID)");
      }
    }
    return problems;
  }
}
