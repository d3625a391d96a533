package io.crmsync.config.webhook;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A budget of request-body bytes a host holds in memory at once, across every connection: a
 * webhook call reserves its declared length (or its kind's limit when it declares none) before a
 * byte of its body is read, and gives it back when answered. When the budget is spent the call
 * gets 503 with {@code Retry-After} at once, so many large bodies cannot exhaust the heap.
 * Thread-safe.
 */
public final class InFlightBytes {

    /** The budget unless a host sets another: 16 MB. */
    public static final long DEFAULT_LIMIT = 16L * 1024 * 1024;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** A budget of {@code limit} bytes. */
    public InFlightBytes(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the in-flight budget must be positive, was " + limit);
        }
        this.limit = limit;
    }

    /** A budget of {@link #DEFAULT_LIMIT}. */
    public static InFlightBytes defaults() {
        return new InFlightBytes(DEFAULT_LIMIT);
    }

    /** Takes {@code bytes} if they fit; returns whether they did. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives {@code bytes} back. */
    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    /** The budget. */
    public long limit() {
        return limit;
    }
}
