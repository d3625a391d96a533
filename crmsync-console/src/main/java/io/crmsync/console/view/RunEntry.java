package io.crmsync.console.view;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run in the journal.
 *
 * @param tenant its tenant; empty on a single pair
 * @param job the job
 * @param node the node (or host) that ran it
 * @param started when it started
 * @param ended when it ended; empty while it runs
 * @param outcome how it ended; {@code running} while it runs
 * @param detail its counts or its failure, one line (may be empty)
 */
public record RunEntry(
        String tenant,
        String job,
        String node,
        Instant started,
        Optional<Instant> ended,
        String outcome,
        String detail) {

    /** Checks the parts. */
    public RunEntry {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}
