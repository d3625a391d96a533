package io.crmsync.spring;

import io.crmsync.config.jobs.HostedJob;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.jobs.JobScheduler;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.SmartLifecycle;

/**
 * The jobs of the {@link JobCatalog} on schedules, started and stopped with the application
 * context, as {@code serve} and a cluster node run them: a full sync first when the store has never
 * synced ({@code crmsync.full-sync.on-empty-store}, default true), polls every
 * {@code crmsync.schedule.poll-interval} (1 minute), reverse sync and query tags when configured.
 * A full sync (or any job) can also be started on request:
 *
 * <pre>{@code
 * @Autowired CrmsyncJobs jobs;
 * SyncReport report = jobs.run(HostedJob.FULL_SYNC).join();
 * }</pre>
 *
 * or with the actuator endpoint {@code POST /actuator/crmsync/fullSync} when the actuator is
 * present ({@link CrmsyncEndpoint}).
 */
public final class CrmsyncJobs implements SmartLifecycle {

    private final SyncEngine engine;
    private final JobCatalog catalog;
    private JobScheduler scheduler;

    /** The jobs of {@code catalog} on {@code engine}. */
    public CrmsyncJobs(SyncEngine engine, JobCatalog catalog) {
        this.engine = engine;
        this.catalog = catalog;
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = JobScheduler.start(catalog, engine);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /**
     * Starts {@code job} now, beside the schedules; the future ends with its report, or with
     * {@code JobAlreadyRunningException} when it is running here or on another instance.
     *
     * @throws IllegalStateException when the application context is not running
     */
    public synchronized CompletableFuture<SyncReport> run(HostedJob job) {
        if (scheduler == null) {
            throw new IllegalStateException("crmsync's jobs are not running (the application context is stopped)");
        }
        return scheduler.runNow(job);
    }

    /** Each job's schedule and last run. */
    public synchronized List<JobScheduler.JobStatus> status() {
        return scheduler == null ? List.of() : scheduler.status();
    }

    /** The schedule while the application context runs; null while it is stopped (the console reads it). */
    public synchronized JobScheduler scheduler() {
        return scheduler;
    }

    /** The catalog. */
    public JobCatalog catalog() {
        return catalog;
    }
}
