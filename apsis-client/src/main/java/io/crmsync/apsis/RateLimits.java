package io.crmsync.apsis;

/**
 * The request rates the client keeps to on its own side, shared by all threads using one client.
 * Defaults are APSIS One's documented limits: 100 requests/s per account, 10 requests/s per profile
 * key, 10 token requests/minute, 10 import creations/minute, at most 3 imports in flight, and 1
 * email-event export request/minute.
 *
 * <p>Lower them when several processes share one APSIS account (the limits are per account, not
 * per API key); raise them only against an emulator.
 *
 * <pre>{@code
 * RateLimits limits = RateLimits.defaults().withPerAccountPerSecond(50);
 * }</pre>
 *
 * @param perAccountPerSecond requests per second for the whole account
 * @param perProfilePerSecond requests per second for one profile key
 * @param tokenPerMinute token requests per minute
 * @param importsPerMinute import creations per minute
 * @param importsInFlight imports created but not yet completed or failed
 * @param exportsPerMinute email-event export requests per minute
 */
public record RateLimits(
    double perAccountPerSecond,
    double perProfilePerSecond,
    double tokenPerMinute,
    double importsPerMinute,
    int importsInFlight,
    double exportsPerMinute) {

  /** Checks every rate is positive. */
  public RateLimits {
    positive("perAccountPerSecond", perAccountPerSecond);
    positive("perProfilePerSecond", perProfilePerSecond);
    positive("tokenPerMinute", tokenPerMinute);
    positive("importsPerMinute", importsPerMinute);
    positive("importsInFlight", importsInFlight);
    positive("exportsPerMinute", exportsPerMinute);
  }

  /** APSIS One's documented limits. */
  public static RateLimits defaults() {
    return new RateLimits(100, 10, 10, 10, 3, 1);
  }

  /** A copy with another account rate. */
  public RateLimits withPerAccountPerSecond(double rate) {
    return new RateLimits(rate, perProfilePerSecond, tokenPerMinute, importsPerMinute,
        importsInFlight, exportsPerMinute);
  }

  /** A copy with another per-profile rate. */
  public RateLimits withPerProfilePerSecond(double rate) {
    return new RateLimits(perAccountPerSecond, rate, tokenPerMinute, importsPerMinute,
        importsInFlight, exportsPerMinute);
  }

  /** A copy with other import limits. */
  public RateLimits withImports(double perMinute, int inFlight) {
    return new RateLimits(perAccountPerSecond, perProfilePerSecond, tokenPerMinute, perMinute,
        inFlight, exportsPerMinute);
  }

  /** A copy with another export request rate. */
  public RateLimits withExportsPerMinute(double perMinute) {
    return new RateLimits(perAccountPerSecond, perProfilePerSecond, tokenPerMinute,
        importsPerMinute, importsInFlight, perMinute);
  }

  private static void positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
