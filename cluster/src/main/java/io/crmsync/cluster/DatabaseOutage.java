package io.crmsync.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster's database was last found not answering. The webhook gate asks before it
 * touches the database, so that during an outage every call gets its 503 at once instead of after
 * the pool's connection timeout (10 s) each; a probe on a thread of its own, every second, clears
 * it when the database answers again. Thread-safe. Package-private.
 */
final class DatabaseOutage implements AutoCloseable {

    /** How often the probe tries while the database does not answer. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    private final Runnable probe;
    private final AtomicBoolean down = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crmsync-database-probe");
        t.setDaemon(true);
        return t;
    });

    /** @param probe a cheap read of the database that throws when it does not answer */
    DatabaseOutage(Runnable probe) {
        this.probe = probe;
    }

    /**
     * Whether a failure is the database's: any failure but a {@link ClusterException} of the
     * registry's own rules (a tenant row that is no longer a valid tenant), which carries no
     * {@link SQLException}.
     */
    static boolean isDatabaseFailure(Throwable failure) {
        if (!(failure instanceof ClusterException)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the database was found not answering and has not answered since. */
    boolean down() {
        return down.get();
    }

    /** Records that a call to the database failed: calls answer 503 until the probe succeeds. */
    void failed(RuntimeException cause) {
        if (down.compareAndSet(false, true)) {
            LOG.warn("the cluster's database does not answer ({}); webhooks get 503 until it does", cause.toString());
            schedule();
        }
    }

    private void schedule() {
        if (!prober.isShutdown()) {
            prober.schedule(this::probeOnce, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probeOnce() {
        try {
            probe.run();
            down.set(false);
            LOG.info("the cluster's database answers again");
        } catch (RuntimeException stillDown) {
            schedule();
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
