package io.crmsync.micrometer;

import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.PollLags;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
        FunctionCounter.builder(
                        "crmsync.cluster.quarantined", node, n -> n.stats().recordsQuarantined())
                .description(
                        "records the runs on this node quarantined (contacts APSIS refused, events not written back)")
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

    /**
     * Registers the cluster's poll lags: {@code crmsync.cluster.poll.lag.max.intervals} (the worst
     * tenant's time since its last successful poll, in its own poll intervals),
     * {@code crmsync.cluster.poll.lagging} (tenants more than three intervals behind), and
     * {@code crmsync.cluster.poll.lag} in seconds with a {@code tenant} tag for the {@code tenants}
     * furthest behind only (0: none), so the series stay bounded however many tenants there are.
     * The tagged series are refreshed every 15 s by a daemon thread the returned handle stops.
     *
     * @throws IllegalArgumentException when {@code tenants} is negative or above {@value PollLags#WORST}
     */
    public static AutoCloseable bindPollLags(MeterRegistry registry, ClusterNode node, int tenants) {
        if (tenants < 0 || tenants > PollLags.WORST) {
            throw new IllegalArgumentException("poll lag tenants must be 0 to " + PollLags.WORST + ", was " + tenants);
        }
        Gauge.builder(
                        "crmsync.cluster.poll.lag.max.intervals",
                        node,
                        n -> n.pollLags().maxIntervals())
                .description("the tenant furthest behind: time since its last successful poll, in its poll intervals")
                .register(registry);
        Gauge.builder("crmsync.cluster.poll.lagging", node, n -> n.pollLags().lagging())
                .description("tenants more than three poll intervals behind")
                .register(registry);
        MultiGauge worst = MultiGauge.builder("crmsync.cluster.poll.lag")
                .description("time since the last successful poll, for the tenants furthest behind")
                .baseUnit("seconds")
                .register(registry);
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crmsync-poll-lag-meters");
            t.setDaemon(true);
            return t;
        });
        refresh.scheduleWithFixedDelay(
                () -> {
                    try {
                        worst.register(
                                node.pollLags().worst().stream()
                                        .limit(tenants)
                                        .map(l -> MultiGauge.Row.of(
                                                Tags.of("tenant", l.tenant()),
                                                l.lag().toMillis() / 1000.0))
                                        .toList(),
                                true);
                    } catch (RuntimeException e) {
                        // the next refresh tries again; the lags themselves are counted by the node
                    }
                },
                0,
                15,
                TimeUnit.SECONDS);
        return refresh::shutdownNow;
    }
}
