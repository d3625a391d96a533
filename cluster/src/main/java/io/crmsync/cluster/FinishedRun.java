package io.crmsync.cluster;

import java.time.Duration;

/**
 * An exclusive run of a tenant's job that ended on this node, for metrics
 * ({@link ClusterNode#onRunEnd}).
 *
 * @param tenant the tenant (not a metric tag: tenants are many)
 * @param job the job ({@code poll}, {@code fullSync}, {@code reverseSync}, {@code queryTags})
 * @param outcome {@code succeeded}, {@code failed}, {@code fenced} or {@code superseded}
 * @param duration how long it ran
 */
public record FinishedRun(String tenant, String job, String outcome, Duration duration) {}
