package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * A node's db-scheduler, set up as the cluster needs it. Package-private.
 * <ul>
 *   <li>Lock-and-fetch ({@code SELECT ... FOR UPDATE SKIP LOCKED}) claims only as many due
 *       executions as the node has free threads: nothing waits in a node's memory queue, so work
 *       that falls due, or is revived from a dead node, goes to the next free thread in the cluster
 *       (db-scheduler's default fetches three per thread and locks each only as it runs it).
 *   <li>Priority on: revived executions ({@link Revivals#REVIVED}) come first in every node's fetch.
 *   <li>Task data as JSON, immediate execution of work scheduled for now, 10 s for running
 *       executions to finish at stop, its own failure lines at DEBUG (the tasks log theirs).
 * </ul>
 */
final class NodeScheduler {

    private NodeScheduler() {}

    static Scheduler create(
            DataSource dataSource,
            TenantJobs jobs,
            String name,
            int threads,
            Duration pollingInterval,
            Duration heartbeat,
            int missedHeartbeats) {
        return Scheduler.create(dataSource, List.copyOf(jobs.all()))
                .startTasks(jobs.journalCleanup)
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(threads)
                .pollingInterval(pollingInterval)
                .pollUsingLockAndFetch(0.5, 1.0)
                .enablePriority()
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(missedHeartbeats)
                .serializer(new JsonTaskSerializer())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10))
                // The tasks' own handlers log each failure in one line, saying what failed and why;
                // db-scheduler's line and stack trace for the same failure only at DEBUG.
                .failureLogging(LogLevel.DEBUG, true)
                .build();
    }
}
