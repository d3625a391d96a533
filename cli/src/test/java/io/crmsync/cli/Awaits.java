package io.crmsync.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a state; the deadline only turns a hang into a failure. */
final class Awaits {

    private Awaits() {}

    static void until(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
