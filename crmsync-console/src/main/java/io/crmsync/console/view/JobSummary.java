package io.crmsync.console.view;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One job's schedule and latest run, for the overview.
 *
 * @param tenant the tenant it runs for; empty on a single pair ({@code serve}, the starter)
 * @param job the job ({@code poll}, {@code fullSync}, {@code reverseSync}, {@code queryTags})
 * @param running whether a run is in flight
 * @param lastStart when the latest run started
 * @param lastEnd when it ended
 * @param outcome how it ended ({@code succeeded}, {@code failed}…); empty before any run
 * @param nextRun when it runs next, when scheduled
 * @param detail the latest run's counts or failure, one line
 */
public record JobSummary(
        String tenant,
        String job,
        boolean running,
        Optional<Instant> lastStart,
        Optional<Instant> lastEnd,
        Optional<String> outcome,
        Optional<Instant> nextRun,
        String detail) {

    /** Checks the parts. */
    public JobSummary {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(detail, "detail");
    }

    /** How long the latest run took, once it ended. */
    public Optional<Duration> duration() {
        return lastStart.flatMap(s -> lastEnd.filter(e -> !e.isBefore(s)).map(e -> Duration.between(s, e)));
    }
}
