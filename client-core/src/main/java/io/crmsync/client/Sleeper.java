package io.crmsync.client;

import java.time.Duration;

/**
 * Waits between attempts. The default sleeps the calling thread; tests inject a recording sleeper
 * to assert exact delays without waiting.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for the given duration. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real sleeper, backed by {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis());
    }
}
