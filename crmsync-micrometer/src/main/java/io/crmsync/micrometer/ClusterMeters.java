package io.crmsync.micrometer;

import io.crmsync.cluster.ClusterNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A cluster node's meters: the timer {@code crmsync.cluster.run.duration} by job and outcome (a
 * histogram), {@code crmsync.cluster.runs} by outcome
 * (succeeded, fenced, failed), {@code crmsync.cluster.deliveries} by stage (accepted, handled),
 * {@code crmsync.cluster.abandoned} and the gauge {@code crmsync.cluster.engines}. Needs the
 * {@code crmsync-cluster} module, an optional dependency of this one.
 *
 * <pre>{@code
 * ClusterMeters.bind(registry, node);
 * }</pre>
 */
public final class ClusterMeters {

    private ClusterMeters() {}

    /** Registers the node's meters in {@code registry}. */
    public static void bind(MeterRegistry registry, ClusterNode node) {
        // Per job and outcome, never per tenant (tenants are many): a histogram for quantiles and
        // alerts, its count the runs that ended so.
        node.onRunEnd(run -> Timer.builder("crmsync.cluster.run.duration")
                .description("exclusive tenant runs that ended on this node, by job and outcome")
                .tag("job", run.job())
                .tag("outcome", run.outcome())
                .publishPercentileHistogram()
                .register(registry)
                .record(run.duration()));
        FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsSucceeded())
                .tag("outcome", "succeeded")
                .description("exclusive tenant runs")
                .register(registry);
        FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsFenced())
                .tag("outcome", "fenced")
                .description("exclusive tenant runs")
                .register(registry);
        FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsFailed())
                .tag("outcome", "failed")
                .description("exclusive tenant runs")
                .register(registry);
        FunctionCounter.builder(
                        "crmsync.cluster.deliveries", node, n -> n.stats().deliveriesAccepted())
                .tag("stage", "accepted")
                .register(registry);
        FunctionCounter.builder(
                        "crmsync.cluster.deliveries", node, n -> n.stats().deliveriesHandled())
                .tag("stage", "handled")
                .register(registry);
        FunctionCounter.builder(
                        "crmsync.cluster.abandoned", node, n -> n.stats().tasksAbandoned())
                .description("full syncs and deliveries given up after their last allowed failure")
                .register(registry);
        FunctionCounter.builder("crmsync.cluster.deferred", node, n -> n.stats().executionsDeferred())
                .description("ordinary executions put back because every ordinary thread was busy")
                .register(registry);
        FunctionCounter.builder(
                        "crmsync.cluster.revivals.postponed",
                        node,
                        n -> n.stats().revivalsPostponed())
                .description("dead executions left alone after this node's own database outage")
                .register(registry);
        Gauge.builder("crmsync.cluster.executions.due", node, n -> n.stats().executionsDue())
                .description("executions of the cluster due and not picked (counted every 15 s)")
                .register(registry);
        Gauge.builder("crmsync.cluster.executions.overdue", node, n -> n.stats().executionsOverdue())
                .description("executions due for more than a minute and not picked: the cluster lacks threads")
                .register(registry);
        Gauge.builder("crmsync.cluster.engines", node, n -> n.stats().enginesCached())
                .description("tenants' engines cached on this node")
                .register(registry);
    }
}
