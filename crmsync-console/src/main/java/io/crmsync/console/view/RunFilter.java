package io.crmsync.console.view;

import java.util.Objects;

/**
 * Which runs the runs page lists: each part empty for any. At most {@link #LIMIT} are listed,
 * newest first.
 *
 * @param job a job, or empty
 * @param tenant a tenant, or empty
 * @param outcome an outcome, or empty
 */
public record RunFilter(String job, String tenant, String outcome) {

    /** The most runs a page lists. */
    public static final int LIMIT = 200;

    /** No filter. */
    public static final RunFilter ANY = new RunFilter("", "", "");

    /** Checks the parts. */
    public RunFilter {
        job = Objects.requireNonNullElse(job, "").strip();
        tenant = Objects.requireNonNullElse(tenant, "").strip();
        outcome = Objects.requireNonNullElse(outcome, "").strip();
    }

    /** Whether a run passes. */
    public boolean matches(RunEntry run) {
        return (job.isEmpty() || job.equals(run.job()))
                && (tenant.isEmpty() || tenant.equals(run.tenant()))
                && (outcome.isEmpty() || outcome.equals(run.outcome()));
    }
}
