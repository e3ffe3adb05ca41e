package dev.genainormalizer.config;

/** {@code service.telemetry}: where the admin server listens. */
public record TelemetryConfig(AdminConfig admin) {
  public TelemetryConfig {
    admin = admin == null ? AdminConfig.defaults() : admin;
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(AdminConfig.defaults());
  }

  /** {@code service.telemetry.admin}: {@code /healthz}, {@code /readyz}, {@code /metrics}. */
  public record AdminConfig(String endpoint) {
    public static final String DEFAULT_ENDPOINT = "0.0.0.0:8888";

    public AdminConfig {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
    }

    public static AdminConfig defaults() {
      return new AdminConfig(DEFAULT_ENDPOINT);
    }
  }
}
