package io.crmsync.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What runs in a cluster now, for operators ({@code crmsync status}): its nodes, its tenants with
 * their latest run and waiting work, and the executions that wait for a thread.
 *
 * @param at when it was read (the database's clock)
 * @param nodes the nodes seen within the last hour, live ones first
 * @param tenants every tenant
 * @param due executions due and not picked
 * @param overdue executions due for more than a minute and not picked: the cluster lacks threads
 * @param failoversLastDay runs closed as {@code abandoned} (their node died) in the last 24 hours
 * @param apsisAccountsBusy APSIS accounts that sent requests in the last minute (by the shared budget)
 * @param apsisAccountsAtLimit APSIS accounts whose next request waits for their budget now: they use
 *     all the rate the cluster allows them
 */
public record ClusterStatus(
        Instant at,
        List<Node> nodes,
        List<TenantState> tenants,
        long due,
        long overdue,
        long failoversLastDay,
        long apsisAccountsBusy,
        long apsisAccountsAtLimit) {

    /** Copies the lists. */
    public ClusterStatus {
        nodes = List.copyOf(nodes);
        tenants = List.copyOf(tenants);
    }

    /**
     * A node.
     *
     * @param name its name
     * @param startedAt when it started
     * @param lastSeen its last beat
     * @param live whether it beat within its dead limit
     * @param running executions it holds now
     * @param holding what it holds now, as {@code <task> <instance>} ({@code poll acme}), at most 50
     */
    public record Node(
            String name, Instant startedAt, Instant lastSeen, boolean live, long running, List<String> holding) {

        /** Copies the list. */
        public Node {
            holding = List.copyOf(holding);
        }
    }

    /**
     * A tenant.
     *
     * @param id its id
     * @param paused whether it is paused
     * @param version its configuration's version
     * @param lastRun its latest journalled run
     * @param fullSyncQueued whether a full sync waits or runs
     * @param failingDeliveries webhook deliveries that failed at least once and wait to be tried again
     */
    public record TenantState(
            String id,
            boolean paused,
            long version,
            Optional<LastRun> lastRun,
            boolean fullSyncQueued,
            long failingDeliveries) {}
}
