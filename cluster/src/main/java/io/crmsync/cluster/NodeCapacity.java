package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A node's threads: its ordinary ones, and more kept for revived executions. Ordinary executions
 * (polls, full syncs, deliveries that fell due in the ordinary way) hold at most the ordinary
 * threads, so that when a node dies its runs start on the survivors at their next poll even when
 * every survivor is busy with long runs. A revived execution ({@link Revivals}) takes no permit. An
 * ordinary execution picked when the permits are gone is put back a polling interval later without
 * running (db-scheduler records that as a completion: its count of consecutive failures starts
 * again). Thread-safe. Package-private.
 */
final class NodeCapacity {

    /** The threads a node keeps for revived work unless told otherwise: a quarter of its ordinary ones, at least one. */
    static int defaultReserve(int threads) {
        return Math.max(1, threads / 4);
    }

    private final Semaphore permits;
    private final Revivals revivals;
    private final Clock clock;
    private final Duration deferBy;
    private final AtomicLong deferred = new AtomicLong();

    /** @param threads the ordinary threads (the node's pool has its reserved ones besides) */
    NodeCapacity(int threads, Revivals revivals, Clock clock, Duration deferBy) {
        this.permits = new Semaphore(threads);
        this.revivals = revivals;
        this.clock = clock;
        this.deferBy = deferBy;
    }

    /**
     * Runs an execution within the node's capacity: a revived one at once (back to the ordinary
     * priority for its next run), an ordinary one on an ordinary thread, or, when none is free, not
     * at all: it is put back a polling interval later, keeping the reserved threads for revived work.
     */
    <T> CompletionHandler<T> run(ExecutionContext ctx, Supplier<CompletionHandler<T>> run) {
        Execution e = ctx.getExecution();
        if (e.taskInstance.getPriority() >= Revivals.REVIVED) {
            revivals.ordinaryAgain(e);
            return run.get();
        }
        if (!permits.tryAcquire()) {
            deferred.incrementAndGet();
            return (complete, ops) -> ops.reschedule(complete, clock.instant().plus(deferBy));
        }
        try {
            return run.get();
        } finally {
            permits.release();
        }
    }

    /** Ordinary executions put back because every ordinary thread was busy. */
    long deferred() {
        return deferred.get();
    }
}
