package io.crmsync.console.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses logins from an address after {@value #FAILURES} wrong tokens within a minute, until the
 * minute is over, so the token cannot be guessed at speed. Keeps at most {@value #ADDRESSES}
 * addresses (the oldest are forgotten). Thread-safe. Internal.
 */
public final class LoginThrottle {

    /** Wrong tokens an address may send in a minute. */
    public static final int FAILURES = 10;

    static final int ADDRESSES = 4096;

    private record Window(long start, int failures) {}

    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > ADDRESSES;
        }
    };

    /** A throttle on a clock. */
    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether an address may try a token now. */
    public synchronized boolean allows(String address) {
        Window w = windows.get(address);
        return w == null || clock.millis() - w.start() >= 60_000 || w.failures() < FAILURES;
    }

    /** Counts a wrong token from an address. */
    public synchronized void failed(String address) {
        long now = clock.millis();
        Window w = windows.get(address);
        windows.put(
                address,
                w == null || now - w.start() >= 60_000 ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
    }
}
