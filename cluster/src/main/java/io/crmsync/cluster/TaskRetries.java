package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed full sync or delivery is tried again: after {@code first}, doubling each time up to
 * {@code max}; given up after {@code attempts} consecutive failures. Package-private.
 *
 * @param first the first wait
 * @param max the longest wait
 * @param attempts consecutive failures after which a task is given up
 */
record TaskRetries(Duration first, Duration max, int attempts) {

    /** Checks the waits and the attempts. */
    TaskRetries {
        if (first == null || first.isNegative() || first.isZero() || max == null || max.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "retries need a positive first wait and a longest wait no shorter than it");
        }
        if (attempts < 1 || attempts > 1000) {
            throw new IllegalArgumentException("retry attempts must be 1..1000, was " + attempts);
        }
    }

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
     * What failed and why, for a log line: the failure's type and message (crmsync's exceptions
     * carry no secret and no personal data in their messages), and its cause's.
     */
    static String why(Optional<Throwable> failure) {
        if (failure.isEmpty()) {
            return "unknown";
        }
        Throwable t = failure.get();
        String why = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (t.getCause() != null && t.getCause() != t) {
            why += " (" + t.getCause().getClass().getSimpleName() + ": "
                    + t.getCause().getMessage() + ")";
        }
        return why.length() > 500 ? why.substring(0, 500) + "..." : why;
    }

    /**
     * Runs a failed recurring job again at its next interval ({@code next} of the tenant, empty when
     * the tenant is gone, paused or the job is off), logging what failed in one line.
     */
    static <T> FailureHandler<T> nextInterval(String job, Function<String, Optional<Instant>> next) {
        return (complete, ops) -> {
            String tenant = complete.getExecution().taskInstance.getId();
            Optional<Instant> at = next.apply(tenant);
            LOG.warn(
                    "tenant {}: {} failed ({}); {}",
                    tenant,
                    job,
                    why(complete.getCause()),
                    at.map(t -> "next run at " + t).orElse("no next run"));
            at.ifPresentOrElse(t -> ops.reschedule(complete, t), ops::remove);
        };
    }

    /**
     * Tries a failed one-time task again after a growing wait; after {@link #attempts()}
     * consecutive failures, gives it up: the row goes (with a delivery's body), the node counts it
     * in {@link ClusterStats#tasksAbandoned()} and logs it at error level, naming the task and what
     * failed ({@link #why}).
     */
    <T> FailureHandler<T> retryOrAbandon(String what, Clock clock, AtomicLong abandoned) {
        return (complete, ops) -> {
            Execution e = complete.getExecution();
            int failures = e.consecutiveFailures + 1;
            String cause = why(complete.getCause());
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
