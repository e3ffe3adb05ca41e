package dev.genainormalizer.exporter.testing;

import dev.genainormalizer.exporter.testing.TestCollector.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Named;

/** What a contract test needs to know of the protocol an exporter speaks to its backend. */
public enum Wire {
  GRPC("grpc-encoding", GrpcBackend.EXPORT_PATH, "127.0.0.1:1") {
    @Override
    public List<Named<Answer>> retryableAnswers() {
      return GrpcBackend.retryableAnswers();
    }

    @Override
    public List<Named<Answer>> permanentAnswers() {
      return GrpcBackend.permanentAnswers();
    }

    @Override
    public Answer throttled(Duration delay) {
      return GrpcBackend.throttled(delay);
    }
  },
  HTTP("content-encoding", "/v1/traces", "http://127.0.0.1:1") {
    @Override
    public List<Named<Answer>> retryableAnswers() {
      return HttpBackend.retryableAnswers();
    }

    @Override
    public List<Named<Answer>> permanentAnswers() {
      return HttpBackend.permanentAnswers();
    }

    @Override
    public Answer throttled(Duration delay) {
      return HttpBackend.throttled(delay);
    }
  };

  private final String compressionHeader;
  private final String defaultPath;
  private final String unreachableEndpoint;

  Wire(String compressionHeader, String defaultPath, String unreachableEndpoint) {
    this.compressionHeader = compressionHeader;
    this.defaultPath = defaultPath;
    this.unreachableEndpoint = unreachableEndpoint;
  }

  /** Answers that must be retried. */
  public abstract List<Named<Answer>> retryableAnswers();

  /** Answers that drop the data at once. */
  public abstract List<Named<Answer>> permanentAnswers();

  /** A throttling answer asking to wait {@code delay}. */
  public abstract Answer throttled(Duration delay);

  /** The request header naming the body's compression. */
  public String compressionHeader() {
    return compressionHeader;
  }

  /** Where OTLP sends traces unless the exporter says otherwise. */
  public String defaultPath() {
    return defaultPath;
  }

  /** An endpoint, as written in YAML, where nothing listens. */
  public String unreachableEndpoint() {
    return unreachableEndpoint;
  }
}
