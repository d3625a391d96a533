package io.crmsync.config.jobs;

import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link JobCatalog} on one engine, as {@code serve} and the Spring starter do (a cluster
 * node runs the same catalog on db-scheduler): each scheduled job at once, then again its interval
 * after each run ends; a poll on a store that has never synced runs the first full sync instead.
 * A run that another instance holds is skipped; a failed run is logged with its cause and tried
 * at the next tick (its state is kept). {@link #runNow} starts a job on request (a full sync from
 * an actuator endpoint, say). {@link #close()} stops the schedules; the engine is the host's.
 *
 * <pre>{@code
 * try (JobScheduler jobs = JobScheduler.start(JobCatalog.of(config), engine)) {
 *   jobs.runNow(HostedJob.FULL_SYNC).join();
 * }
 * }</pre>
 */
public final class JobScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    /** How many ended runs {@link #history()} keeps. */
    public static final int HISTORY = 200;

    private final JobCatalog catalog;
    private final SyncEngine engine;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Map<HostedJob, JobStatus> status = new EnumMap<>(HostedJob.class);
    private final Deque<JobStatus> history = new ArrayDeque<>();

    private JobScheduler(JobCatalog catalog, SyncEngine engine, Clock clock) {
        this.catalog = catalog;
        this.engine = engine;
        this.clock = clock;
        int threads = Math.max(1, catalog.scheduled().size() + 1);
        this.executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "crmsync-schedule");
            t.setDaemon(true);
            return t;
        });
        for (HostedJob job : HostedJob.values()) {
            status.put(job, JobStatus.idle(job, catalog.interval(job)));
        }
    }

    /** Starts the catalog's schedules on {@code engine}. */
    public static JobScheduler start(JobCatalog catalog, SyncEngine engine) {
        JobScheduler s = new JobScheduler(catalog, engine, Clock.systemUTC());
        for (JobCatalog.Scheduled job : catalog.scheduled()) {
            s.executor.scheduleWithFixedDelay(
                    () -> s.runQuietly(job.job()), 0, job.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return s;
    }

    /**
     * Starts {@code job} now, beside the schedules; the future ends with its report, or with
     * {@link JobAlreadyRunningException} when it (or, for a first poll, the full sync) is running.
     */
    public CompletableFuture<SyncReport> runNow(HostedJob job) {
        CompletableFuture<SyncReport> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                done.complete(run(job));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Each job's last run and schedule. */
    public synchronized List<JobStatus> status() {
        return new ArrayList<>(status.values());
    }

    /**
     * The runs that ended, newest first, at most {@value #HISTORY}: each as its job's status just
     * after it ended (what the console's runs page lists for a single pair).
     */
    public synchronized List<JobStatus> history() {
        return new ArrayList<>(history);
    }

    /** The catalog it runs. */
    public JobCatalog catalog() {
        return catalog;
    }

    private void runQuietly(HostedJob job) {
        try {
            run(job);
        } catch (JobAlreadyRunningException e) {
            LOG.info("{} skipped: {}", job, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}: {}", job, e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private SyncReport run(HostedJob scheduled) {
        HostedJob job = catalog.effective(scheduled, engine.stateStore());
        if (job != scheduled) {
            LOG.info("{}: the store has never synced, so a full sync runs first", scheduled);
        }
        Instant start = clock.instant();
        started(job, start);
        try {
            SyncReport report = job.runOn(engine);
            ended(job, start, "succeeded", Optional.of(report.toString()));
            return report;
        } catch (JobAlreadyRunningException e) {
            ended(job, start, "skipped", Optional.of(e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            ended(job, start, "failed", Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
            throw e;
        }
    }

    private synchronized void started(HostedJob job, Instant at) {
        status.put(job, status.get(job).started(at));
    }

    private synchronized void ended(HostedJob job, Instant start, String outcome, Optional<String> detail) {
        JobStatus ended = status.get(job).ended(clock.instant(), outcome, detail.orElse(""));
        status.put(job, ended);
        history.addFirst(ended);
        if (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    /** Stops the schedules; a run in flight is interrupted at its next wait (the engine's close stops it cleanly). */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * One job's schedule and last run.
     *
     * @param job the job
     * @param interval how often it runs (zero: on request only)
     * @param running whether a run is in flight
     * @param lastStart when the last run started
     * @param lastEnd when the last run ended
     * @param lastOutcome {@code succeeded}, {@code failed} or {@code skipped}, empty before any run
     * @param lastDetail the last run's report or failure, one line
     */
    public record JobStatus(
            HostedJob job,
            Duration interval,
            boolean running,
            Optional<Instant> lastStart,
            Optional<Instant> lastEnd,
            Optional<String> lastOutcome,
            String lastDetail) {

        static JobStatus idle(HostedJob job, Duration interval) {
            return new JobStatus(job, interval, false, Optional.empty(), Optional.empty(), Optional.empty(), "");
        }

        JobStatus started(Instant at) {
            return new JobStatus(job, interval, true, Optional.of(at), lastEnd, lastOutcome, lastDetail);
        }

        JobStatus ended(Instant at, String outcome, String detail) {
            return new JobStatus(job, interval, false, lastStart, Optional.of(at), Optional.of(outcome), detail);
        }
    }
}
