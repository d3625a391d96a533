package io.crmsync.console;

import io.crmsync.console.setup.SetupTarget;
import io.crmsync.console.view.ActionResult;
import io.crmsync.console.view.ClusterSummary;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.QuarantineEntry;
import io.crmsync.console.view.RunEntry;
import io.crmsync.console.view.RunFilter;
import java.util.List;
import java.util.Optional;

/**
 * What a host shows and does through the {@link Console}: {@code serve} and the starter show one
 * pair ({@link io.crmsync.console.pair.PairConsoleBackend}); a cluster node shows every tenant, and
 * the cluster page. Implementations are thread-safe; each call may read a database, and a failure
 * to read is thrown (the page then says the data cannot be read now, never a stack trace).
 */
public interface ConsoleBackend {

    /** A few words naming the host, shown in the page's header ({@code serve}, {@code cluster node n1}). */
    String host();

    /** The overview: each job's last and next run, poll lag, imports in flight, the APSIS budget used. */
    Overview overview();

    /** The tenants whose quarantine can be shown; empty on a single pair. */
    default List<String> tenants() {
        return List.of();
    }

    /**
     * The quarantined records of a tenant (ignored on a single pair), oldest first, at most 500.
     *
     * @throws IllegalArgumentException for a tenant that does not exist
     */
    List<QuarantineEntry> quarantine(String tenant);

    /** Tries one quarantined record again now, or queues it; says which. */
    ActionResult retry(String tenant, String kind, String id);

    /** Tries every quarantined record of a tenant again. */
    ActionResult retryAll(String tenant);

    /** The journalled runs that pass the filter, newest first, at most {@link RunFilter#LIMIT}. */
    List<RunEntry> runs(RunFilter filter);

    /** The cluster page's data, on a cluster node; empty elsewhere (the page is then not offered). */
    default Optional<ClusterSummary> cluster() {
        return Optional.empty();
    }

    /** Pauses a tenant's jobs (cluster). */
    default ActionResult pause(String tenant) {
        return ActionResult.refused("this host has no tenants to pause");
    }

    /** Resumes a paused tenant (cluster). */
    default ActionResult resume(String tenant) {
        return ActionResult.refused("this host has no tenants to resume");
    }

    /** Queues a full sync (of a tenant, on a cluster). */
    ActionResult fullSync(String tenant);

    /** Where the set-up wizard's result goes: a properties file ({@code serve}) or a new tenant (cluster). */
    SetupTarget setup();
}
