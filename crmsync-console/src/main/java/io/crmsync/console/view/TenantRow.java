package io.crmsync.console.view;

import java.util.Objects;

/**
 * A tenant on the cluster page.
 *
 * @param id its id
 * @param paused whether it is paused
 * @param lastRun its latest run in one line ({@code last poll succeeded on n1 at …}), or empty
 * @param lastOutcome the latest run's outcome, or empty (running, or never ran)
 * @param fullSyncQueued whether a full sync waits or runs
 * @param failingDeliveries webhook deliveries that failed and wait to be tried again
 */
public record TenantRow(
        String id, boolean paused, String lastRun, String lastOutcome, boolean fullSyncQueued, long failingDeliveries) {

    /** Checks the parts. */
    public TenantRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastRun, "lastRun");
        Objects.requireNonNull(lastOutcome, "lastOutcome");
    }
}
