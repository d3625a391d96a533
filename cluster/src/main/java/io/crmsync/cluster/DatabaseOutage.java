package io.crmsync.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster's database answers, as last found. A check on a thread of its own reads the
 * database every second, and a failed call elsewhere marks it down at once; the webhook gate and
 * {@code /health} only read this flag, so during an outage every call gets its 503 at once instead
 * of after the pool's connection timeout (10 s) each, and {@code /health} never waits on the
 * database. It also remembers when the database last answered again, so that a node does not take
 * its own outage for other nodes' deaths ({@link #quietFor}). Thread-safe. Package-private.
 */
final class DatabaseOutage implements AutoCloseable {

    /** How often the check reads the database. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    private final Runnable probe;
    private final LongSupplier nanoTime;
    private final AtomicBoolean down = new AtomicBoolean();
    /** {@link #nanoTime} when the database answered again after its last outage; 0 when never down. */
    private final AtomicLong upAgainAt = new AtomicLong();

    private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crmsync-database-probe");
        t.setDaemon(true);
        return t;
    });

    /** @param probe a cheap read of the database that throws when it does not answer */
    DatabaseOutage(Runnable probe) {
        this(probe, System::nanoTime);
    }

    /** With another time source, for tests. */
    DatabaseOutage(Runnable probe, LongSupplier nanoTime) {
        this.probe = probe;
        this.nanoTime = nanoTime;
    }

    /** Runs {@code action} on the check's thread each time the database answers again after an outage. */
    void onRecovery(Runnable action) {
        onRecovery.add(action);
    }

    /**
     * Whether the database has answered this node for at least {@code span}: not down, and either
     * never found down or up again for {@code span} since. A node that could not reach the database
     * for longer than the dead limit sees every other node's heartbeat as old; only after a dead
     * limit of its own good health has every live node had the time to beat again.
     */
    boolean quietFor(Duration span) {
        if (down.get()) {
            return false;
        }
        long since = upAgainAt.get();
        return since == 0 || nanoTime.getAsLong() - since >= span.toNanos();
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

    /** Starts the checks (the first at once); a node that is not started starts them at its first failure. */
    void start() {
        if (started.compareAndSet(false, true) && !prober.isShutdown()) {
            prober.scheduleWithFixedDelay(this::check, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Records that a call to the database failed: calls answer 503 until a check succeeds. */
    void failed(RuntimeException cause) {
        upAgainAt.set(0);
        if (down.compareAndSet(false, true)) {
            LOG.warn("the cluster's database does not answer ({}); webhooks get 503 until it does", cause.toString());
            start();
        }
    }

    /** Reads the database once (the scheduled check; package-private for tests). */
    void check() {
        try {
            probe.run();
            if (down.get()) {
                upAgainAt.set(Math.max(1, nanoTime.getAsLong()));
                down.set(false);
                LOG.info("the cluster's database answers again");
                for (Runnable action : onRecovery) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        LOG.warn("after the database's return: {}", e.toString());
                    }
                }
            }
        } catch (RuntimeException stillDown) {
            failed(stillDown);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
