package io.crmsync.console.view;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The cluster page: tenants, live nodes and what each runs now, waiting work and failovers.
 *
 * @param at when it was read (the database's clock)
 * @param tenants every tenant
 * @param nodes the nodes seen within the hour, live ones first
 * @param due executions due and not picked
 * @param overdue executions due for more than a minute and not picked
 * @param failoversLastDay runs closed as abandoned (their node died) in the last day
 */
public record ClusterSummary(
        Instant at, List<TenantRow> tenants, List<NodeRow> nodes, long due, long overdue, long failoversLastDay) {

    /** Copies the lists. */
    public ClusterSummary {
        Objects.requireNonNull(at, "at");
        tenants = List.copyOf(tenants);
        nodes = List.copyOf(nodes);
    }
}
