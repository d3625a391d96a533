package io.crmsync.console.view;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node on the cluster page.
 *
 * @param name its name
 * @param live whether it beat within its dead limit
 * @param lastSeen its last beat
 * @param running what it holds now, as {@code <tenant> <job>}
 */
public record NodeRow(String name, boolean live, Instant lastSeen, List<String> running) {

    /** Checks the parts. */
    public NodeRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSeen, "lastSeen");
        running = List.copyOf(running);
    }
}
