package dev.genainormalizer.app.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The YAML of a one-pipeline service for tests: an {@code otlp} receiver, processors and exporters
 * in the order added, {@code service} keys, and the admin endpoint. Defaults: HTTP on {@code
 * 127.0.0.1:0}, gRPC off, admin on {@code 127.0.0.1:0}.
 */
public final class TestConfig {
  private String http = "127.0.0.1:0";
  private String grpc;
  private String admin = "127.0.0.1:0";
  private boolean showContent;
  private final List<String> receiver = new ArrayList<>();
  private String pipeline = "traces";
  private final List<String> processorIds = new ArrayList<>();
  private final List<String> exporterIds = new ArrayList<>();
  private final List<String> processors = new ArrayList<>();
  private final List<String> exporters = new ArrayList<>();
  private final List<String> service = new ArrayList<>();

  private TestConfig() {}

  public static TestConfig builder() {
    return new TestConfig();
  }

  /** The OTLP/HTTP endpoint; null turns HTTP off. */
  public TestConfig http(String endpoint) {
    this.http = endpoint;
    return this;
  }

  /** The OTLP/gRPC endpoint; null (the default) turns gRPC off. */
  public TestConfig grpc(String endpoint) {
    this.grpc = endpoint;
    return this;
  }

  /** A line of the {@code otlp} receiver beside its protocols, e.g. {@code auth: {...}}. */
  public TestConfig receiver(String line) {
    receiver.add("    " + line);
    return this;
  }

  /**
   * {@code service.telemetry.admin.endpoint}; null leaves the telemetry block out (the default).
   */
  public TestConfig admin(String endpoint) {
    this.admin = endpoint;
    return this;
  }

  /**
   * {@code service.telemetry.admin.show_content: true}: the status page shows prompts and
   * completions.
   */
  public TestConfig showContent() {
    this.showContent = true;
    return this;
  }

  /** The pipeline's id; default {@code traces}. */
  public TestConfig pipeline(String id) {
    this.pipeline = id;
    return this;
  }

  /** A processor of the pipeline, with the lines of its block (unindented). */
  public TestConfig processor(String id, String... lines) {
    processorIds.add(id);
    add(processors, id, lines);
    return this;
  }

  /** An exporter of the pipeline, with the lines of its block (unindented). */
  public TestConfig exporter(String id, String... lines) {
    exporterIds.add(id);
    add(exporters, id, lines);
    return this;
  }

  /** A line under {@code service:}, e.g. {@code shutdown_timeout: 2s}. */
  public TestConfig service(String line) {
    service.add("  " + line);
    return this;
  }

  public String yaml() {
    final List<String> y = new ArrayList<>();
    y.add("receivers:");
    y.add("  otlp:");
    y.addAll(receiver);
    y.add("    protocols:");
    y.add(
        http == null
            ? "      http: { enabled: false }"
            : "      http: { endpoint: \"" + http + "\" }");
    y.add(
        grpc == null
            ? "      grpc: { enabled: false }"
            : "      grpc: { endpoint: \"" + grpc + "\" }");
    if (!processors.isEmpty()) {
      y.add("processors:");
      y.addAll(processors);
    }
    y.add("exporters:");
    y.addAll(exporters);
    y.add("service:");
    y.addAll(service);
    y.add("  pipelines:");
    y.add("    " + pipeline + ":");
    y.add("      receivers: [otlp]");
    if (!processorIds.isEmpty()) {
      y.add("      processors: [" + String.join(", ", processorIds) + "]");
    }
    y.add("      exporters: [" + String.join(", ", exporterIds) + "]");
    if (admin != null) {
      y.add("  telemetry:");
      y.add(
          "    admin: { endpoint: \""
              + admin
              + "\""
              + (showContent ? ", show_content: true" : "")
              + " }");
    }
    y.add("");
    return String.join("\n", y);
  }

  private static void add(List<String> section, String id, String... lines) {
    if (lines.length == 0) {
      section.add("  " + id + ": {}");
      return;
    }
    section.add("  " + id + ":");
    for (String line : lines) {
      section.add("    " + line);
    }
  }
}
