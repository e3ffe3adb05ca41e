package dev.genainormalizer.exporter.helper;

import java.util.Objects;
import java.util.Set;

/**
 * Which HTTP statuses are worth retrying. The default is the Collector's OTLP/HTTP set; a vendor
 * whose backend signals overload differently supplies its own.
 *
 * @param retryableStatuses non-2xx statuses retried with backoff; every other non-2xx is permanent
 */
public record HttpStatusPolicy(Set<Integer> retryableStatuses) {
  private static final HttpStatusPolicy DEFAULT = new HttpStatusPolicy(Set.of(429, 502, 503, 504));

  public HttpStatusPolicy {
    retryableStatuses = Set.copyOf(Objects.requireNonNull(retryableStatuses, "retryableStatuses"));
    for (int status : retryableStatuses) {
      if (status < 300 || status > 599) {
        throw new IllegalArgumentException(
            "retryableStatuses: " + status + " (expected: a 3xx, 4xx or 5xx status)");
      }
    }
  }

  /** 429, 502, 503 and 504 are retryable, as in the Collector's OTLP/HTTP exporter. */
  public static HttpStatusPolicy defaults() {
    return DEFAULT;
  }

  public boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  public boolean isRetryable(int status) {
    return retryableStatuses.contains(status);
  }
}
