package io.crmsync.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's latest run in the run journal, for operators ({@code tenant list}).
 *
 * @param tenant the tenant
 * @param job the job ({@code poll}, {@code fullSync}, {@code reverseSync}, {@code queryTags})
 * @param node the node that ran it
 * @param started when it started
 * @param ended when it ended; empty while it runs (or when its node died and it was not revived yet)
 * @param outcome how it ended ({@code succeeded}, {@code failed}, {@code fenced}, {@code superseded},
 *     {@code abandoned}); empty while it runs
 */
public record LastRun(
        String tenant, String job, String node, Instant started, Optional<Instant> ended, Optional<String> outcome) {

    /** One line: {@code last poll succeeded on node-a at 2026-12-04T10:00:00Z}, or what runs now. */
    public String describe() {
        return outcome.isPresent()
                ? "last " + job + " " + outcome.get() + " on " + node + " at " + ended.orElse(started)
                : job + " running on " + node + " since " + started;
    }
}
