package io.crmsync.cluster;

/**
 * A node's counters since it started, for {@code /health} and {@code /metrics}.
 *
 * @param node the node's name
 * @param runsSucceeded exclusive runs (poll, full sync, reverse sync, queries) that finished
 * @param runsFenced runs stopped at their fence, or superseded because their execution was
 *     picked elsewhere meanwhile
 * @param runsFailed runs that failed (retried by the scheduler)
 * @param deliveriesHandled webhook deliveries handled
 * @param deliveriesAccepted webhook calls queued by this node
 * @param tasksAbandoned full syncs and deliveries this node gave up after their last allowed
 *     consecutive failure ({@link ClusterNode.Builder#retries})
 * @param enginesCached tenants' engines in this node's cache
 * @param executionsDeferred ordinary executions put back because every ordinary thread was busy
 *     (the node keeps its reserved threads for revived work)
 * @param revivalsPostponed dead executions this node left alone because its own database access
 *     had been down within a dead limit
 * @param executionsDue executions of the whole cluster due and not picked (counted every 15 s)
 * @param executionsOverdue of those, the ones due for more than a minute: the cluster lacks threads
 * @param recordsQuarantined records the runs on this node quarantined (a contact APSIS refused, an
 *     event that could not be written back): what the "quarantine growing" alert watches
 */
public record ClusterStats(
        String node,
        long runsSucceeded,
        long runsFenced,
        long runsFailed,
        long deliveriesHandled,
        long deliveriesAccepted,
        long tasksAbandoned,
        int enginesCached,
        long executionsDeferred,
        long revivalsPostponed,
        long executionsDue,
        long executionsOverdue,
        long recordsQuarantined) {}
