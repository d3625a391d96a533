package io.crmsync.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * One run in the cluster's run journal, for operators (the console's runs page).
 *
 * @param tenant the tenant
 * @param job the job ({@code poll}, {@code fullSync}, {@code reverseSync}, {@code queryTags}, {@code webhook})
 * @param node the node that ran it
 * @param started when it started
 * @param ended when it ended; empty while it runs
 * @param outcome how it ended ({@code succeeded}, {@code failed}, {@code fenced}, {@code superseded},
 *     {@code abandoned}); empty while it runs
 * @param detail its counts or failure, one line (may be empty)
 */
public record JournalRun(
        String tenant,
        String job,
        String node,
        Instant started,
        Optional<Instant> ended,
        Optional<String> outcome,
        String detail) {}
