package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed full sync or delivery is tried again: after {@code first}, doubling each time up to
 * {@code max}; given up after {@code attempts} consecutive failures. And how a dead node's
 * execution is revived. Package-private.
 *
 * @param first the first wait
 * @param max the longest wait
 * @param attempts consecutive failures after which a task is given up
 */
record TaskRetries(Duration first, Duration max, int attempts) {

    static final TaskRetries DEFAULT = new TaskRetries(Duration.ofSeconds(10), Duration.ofHours(1), 30);

    private static final Logger LOG = LoggerFactory.getLogger(TaskRetries.class);

    /** The wait after the {@code failures}-th consecutive failure (1 for the first). */
    Duration delay(int failures) {
        Duration d = first;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) < 0 ? d : max;
    }

    /**
     * Revives a dead node's execution at the time it first fell due: the fetch orders due work by
     * that time, so the revived run is next in line instead of behind everything that fell due
     * while its node was dying.
     */
    static <T> DeadExecutionHandler<T> reviveInPlace() {
        return (complete, ops) -> {
            Execution dead = complete.getExecution();
            LOG.info(
                    "reviving {}/{}, dead on {} since its heartbeat at {}",
                    dead.taskInstance.getTaskName(),
                    dead.taskInstance.getId(),
                    dead.pickedBy,
                    dead.lastHeartbeat);
            ops.reschedule(complete, dead.executionTime);
        };
    }

    /**
     * Tries a failed one-time task again after a growing wait; after {@link #attempts()}
     * consecutive failures, gives it up: the row goes (with a delivery's body), the node counts it
     * in {@link ClusterStats#tasksAbandoned()} and logs it at error level, naming the task and the
     * failure's type only.
     */
    <T> FailureHandler<T> retryOrAbandon(String what, Clock clock, AtomicLong abandoned) {
        return (complete, ops) -> {
            Execution e = complete.getExecution();
            int failures = e.consecutiveFailures + 1;
            String cause =
                    complete.getCause().map(t -> t.getClass().getSimpleName()).orElse("unknown");
            if (failures >= attempts) {
                ops.remove();
                abandoned.incrementAndGet();
                LOG.error(
                        "gave up the {} {} after {} consecutive failures, the last {}",
                        what,
                        e.taskInstance.getId(),
                        failures,
                        cause);
                return;
            }
            Duration wait = delay(failures);
            LOG.warn(
                    "the {} {} failed ({}, {} in a row); trying again in {}",
                    what,
                    e.taskInstance.getId(),
                    cause,
                    failures,
                    wait);
            ops.reschedule(complete, clock.instant().plus(wait));
        };
    }
}
