package io.crmsync.testkit.internal.apsis;

/** A server-side token bucket: takes a permit if one is there, else says how long until one is. */
final class Bucket {

    private final double perNano;
    private final double capacity;
    private double available;
    private long last = Long.MIN_VALUE;

    Bucket(double permits, long periodNanos) {
        this.perNano = permits / periodNanos;
        this.capacity = Math.max(1, permits);
        this.available = capacity;
    }

    /** Takes a permit at {@code now}; returns 0, or the nanoseconds until a permit is free. */
    synchronized long take(long now) {
        if (last == Long.MIN_VALUE) {
            last = now;
        }
        if (now > last) {
            available = Math.min(capacity, available + (now - last) * perNano);
            last = now;
        }
        if (available >= 1) {
            available -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - available) / perNano);
    }
}
