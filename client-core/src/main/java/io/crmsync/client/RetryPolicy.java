package io.crmsync.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How a client retries a request that failed for a passing reason: an I/O error, a timeout, or an
 * HTTP status the service documents as passing (5xx; for APSIS also 408). One value for both
 * clients. Only requests that are safe to repeat are retried: Efficy's read-only batches and
 * batches marked idempotent (a retried create could leave a twin record in the CRM), and APSIS's
 * idempotent calls (not event posts or import creates, which a repeat would duplicate).
 *
 * <p>Throttling (HTTP 429) is not a failure: waiting for it uses no attempt from this policy. The
 * Efficy client's one retry with a fresh session after an expired one does not count here either.
 *
 * <p>Defaults: 3 attempts in all, exponential backoff from 200 ms doubling up to 5 s, ±20% jitter,
 * and no new attempt once 30 s have passed since the first.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).baseDelay(Duration.ofMillis(500)).build();
 * }</pre>
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double jitter;
    private final Duration maxElapsed;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.maxElapsed = b.maxElapsed;
    }

    /** The default policy described in the class documentation. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never retries. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** Starts a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Attempts in all, including the first; 1 means no retry. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Delay before the second attempt, before jitter. */
    public Duration baseDelay() {
        return baseDelay;
    }

    /** Upper bound of any single delay, before jitter. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** Fraction of the delay added or removed at random, 0 to 1. */
    public double jitter() {
        return jitter;
    }

    /** No attempt starts after this much time has passed since the first one. */
    public Duration maxElapsed() {
        return maxElapsed;
    }

    /**
     * The delay before attempt {@code attempt + 1}, having made {@code attempt} attempts.
     *
     * @param attempt attempts made so far, at least 1
     * @param random a source of uniform numbers in [0, 1), so tests can fix the jitter
     */
    public Duration delayAfter(int attempt, DoubleSupplier random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        double exponential = baseDelay.toMillis() * Math.pow(2, attempt - 1);
        double capped = Math.min(exponential, maxDelay.toMillis());
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped * factor)));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts="
                + maxAttempts
                + ", baseDelay="
                + baseDelay
                + ", maxDelay="
                + maxDelay
                + ", jitter="
                + jitter
                + ", maxElapsed="
                + maxElapsed
                + "}";
    }

    /** Builds a {@link RetryPolicy}; every setter validates its argument. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration baseDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(5);
        private double jitter = 0.2;
        private Duration maxElapsed = Duration.ofSeconds(30);

        private Builder() {}

        /** Attempts in all, at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** First backoff delay, not negative. */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = nonNegative("baseDelay", baseDelay);
            return this;
        }

        /** Cap on one delay, not negative. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = nonNegative("maxDelay", maxDelay);
            return this;
        }

        /** Jitter fraction between 0 and 1. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** Total time budget for all attempts, not negative. */
        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = nonNegative("maxElapsed", maxElapsed);
            return this;
        }

        /** Builds the policy. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
