package io.crmsync.spring;

import io.crmsync.config.SetupProblems;
import io.crmsync.sync.Job;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The actuator health of crmsync: the engine's setup validation for the jobs the application runs
 * (both accounts reachable with their credentials, every field, attribute, topic and tag those
 * jobs use present), reused for
 * {@code crmsync.health.cache} (default 5 minutes) so a frequent probe costs the services nothing.
 * UP when valid; DOWN with the problems listed, or with the error when a service did not answer.
 */
public final class CrmsyncHealthIndicator implements HealthIndicator {

    private final SyncEngine engine;
    private final Set<Job> jobs;
    private final Duration cache;
    private final Clock clock;
    private Health last;
    private Instant checkedAt = Instant.MIN;

    /** A health indicator over {@code engine}'s setup for {@code jobs}, cached for {@code cache}. */
    public CrmsyncHealthIndicator(SyncEngine engine, Set<Job> jobs, Duration cache) {
        this(engine, jobs, cache, Clock.systemUTC());
    }

    CrmsyncHealthIndicator(SyncEngine engine, Set<Job> jobs, Duration cache, Clock clock) {
        this.engine = engine;
        this.jobs = Set.copyOf(jobs);
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last == null || !checkedAt.plus(cache).isAfter(now)) {
            last = check();
            checkedAt = now;
        }
        return last;
    }

    private Health check() {
        try {
            SetupReport report = engine.validateSetup(jobs);
            if (report.isValid()) {
                return Health.up()
                        .withDetail("efficyVersion", report.efficyVersion())
                        .withDetail("efficyUser", report.efficyUser())
                        .build();
            }
            return Health.down()
                    .withDetail("problems", SetupProblems.of(report))
                    .build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .build();
        }
    }
}
