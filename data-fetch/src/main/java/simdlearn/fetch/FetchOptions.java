package simdlearn.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the fetcher tries and how long it waits.
 *
 * @param retries attempts per mirror after the first, for network errors and 5xx answers only
 * @param backoff wait before the first retry; doubled before each further one
 * @param connectTimeout connecting and receiving the response headers
 * @param idleTimeout longest wait for the next bytes of a body; a stalled server fails the attempt
 * @param mirrorDeadline most time one mirror may spend on one file, retries included; then the
 *     next mirror is tried (a server that drips bytes never trips the idle timeout)
 */
public record FetchOptions(int retries, Duration backoff, Duration connectTimeout,
    Duration idleTimeout, Duration mirrorDeadline) {

  public FetchOptions {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    positive(Objects.requireNonNull(connectTimeout, "connectTimeout"), "connect timeout");
    positive(Objects.requireNonNull(idleTimeout, "idleTimeout"), "idle timeout");
    positive(Objects.requireNonNull(mirrorDeadline, "mirrorDeadline"), "mirror deadline");
    if (Objects.requireNonNull(backoff, "backoff").isNegative()) {
      throw new IllegalArgumentException("backoff must be >= 0, got " + backoff);
    }
  }

  private static void positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be > 0, got " + d);
    }
  }

  /** Three retries from 1 s back-off, 30 s to connect, 30 s idle, 15 minutes per file and mirror. */
  public static FetchOptions defaults() {
    return new FetchOptions(3, Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofSeconds(30), Duration.ofMinutes(15));
  }

  public FetchOptions withRetries(int r) {
    return new FetchOptions(r, backoff, connectTimeout, idleTimeout, mirrorDeadline);
  }

  public FetchOptions withBackoff(Duration d) {
    return new FetchOptions(retries, d, connectTimeout, idleTimeout, mirrorDeadline);
  }

  public FetchOptions withConnectTimeout(Duration d) {
    return new FetchOptions(retries, backoff, d, idleTimeout, mirrorDeadline);
  }

  public FetchOptions withIdleTimeout(Duration d) {
    return new FetchOptions(retries, backoff, connectTimeout, d, mirrorDeadline);
  }

  public FetchOptions withMirrorDeadline(Duration d) {
    return new FetchOptions(retries, backoff, connectTimeout, idleTimeout, d);
  }
}
