package io.crmsync.console.view;

import java.time.Instant;
import java.util.Objects;

/**
 * A record the engine could not sync. The reason is masked as the logs mask it: no e-mail address
 * is ever shown whole.
 *
 * @param tenant its tenant; empty on a single pair
 * @param kind {@code contact}, {@code email-event} or {@code task-webhook}
 * @param id its id within the kind (a contact key)
 * @param reason why it failed
 * @param at when it failed last
 * @param attempts how many times it failed
 */
public record QuarantineEntry(String tenant, String kind, String id, String reason, Instant at, int attempts) {

    /** Checks the parts. */
    public QuarantineEntry {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
