package io.crmsync.apsis;

/**
 * A token bucket that hands out reservations: a caller takes a permit now and is told how long to
 * wait before using it. Holding at most one second's worth of burst (or one permit for slow
 * rates), it never lets more than the rate through over any window longer than the burst.
 * Thread-safe.
 */
final class TokenBucket {

    private final double permitsPerNano;
    private final double capacity;
    private double available;
    private long lastNanos;
    private boolean started;

    /**
     * Creates a bucket.
     *
     * @param permits permits per {@code perNanos}
     * @param perNanos the period, in nanoseconds
     */
    TokenBucket(double permits, long perNanos) {
        this.permitsPerNano = permits / perNanos;
        // The bucket holds one period's count: 100 for 100/s, 10 for 10/min, 1 for 1/min.
        this.capacity = Math.max(1, permits);
        this.available = capacity;
    }

    /** Takes one permit at {@code nowNanos} and returns the nanoseconds to wait before using it. */
    synchronized long reserve(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
        }
        if (nowNanos > lastNanos) {
            available = Math.min(capacity, available + (nowNanos - lastNanos) * permitsPerNano);
            lastNanos = nowNanos;
        }
        available -= 1;
        if (available >= 0) {
            return 0;
        }
        return (long) Math.ceil(-available / permitsPerNano);
    }

    /** Whether the bucket is full at {@code nowNanos}, so it can be forgotten. */
    synchronized boolean isIdle(long nowNanos) {
        double refilled = available + Math.max(0, nowNanos - lastNanos) * permitsPerNano;
        return refilled >= capacity;
    }
}
