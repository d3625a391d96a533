package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.SetupProblems;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Manages a cluster's tenants: add (only once the tenant's {@code validateSetup()} passes),
 * update, pause, resume and remove (with an optional purge of its state, for GDPR erasure), and
 * request a full sync. Each change lands in the {@link TenantRegistry} and on db-scheduler at once,
 * so every node sees it at its next run. Thread-safe; get it from {@link ClusterNode#admin()}.
 *
 * <pre>{@code
 * Properties acme = new Properties();
 * acme.load(Files.newBufferedReader(Path.of("acme.properties"))); // secrets as ${NAME} references
 * node.admin().add("acme", acme);
 * node.admin().requestFullSync("acme", FullSyncOptions.defaults());
 * }</pre>
 */
public final class TenantAdmin {

    private final TenantRegistry registry;
    private final TenantEngines engines;
    private final TenantStateStores stores;
    private final TenantJobs jobs;
    private final SchedulerClient scheduler;
    private final TenantConfigs configs;
    private final Clock clock;
    private final ClusterStatusReader status;

    TenantAdmin(
            TenantRegistry registry,
            TenantEngines engines,
            TenantStateStores stores,
            TenantJobs jobs,
            SchedulerClient scheduler,
            TenantConfigs configs,
            Clock clock,
            ClusterStatusReader status) {
        this.registry = registry;
        this.engines = engines;
        this.stores = stores;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.status = status;
        this.configs = configs;
        this.clock = clock;
    }

    /**
     * Adds a tenant, once its set-up is valid (credentials, mapped fields, topics…), and schedules
     * its recurring jobs, each first due one interval from now (queue a full sync for the first
     * load: {@link #requestFullSync}).
     *
     * @throws TenantSetupException listing every problem, when its set-up is not valid (nothing stored)
     * @throws ClusterException when the id is taken, or the configuration holds a literal secret
     */
    public Tenant add(String id, Properties config) {
        Tenant tenant = Tenant.of(id, config);
        refuseNodeSettings(tenant);
        if (registry.find(id).isPresent()) {
            throw new ClusterException("tenant " + id + " exists already");
        }
        validate(tenant);
        Tenant stored = registry.add(tenant);
        scheduleRecurring(stored);
        return stored;
    }

    /**
     * Adds many tenants at once ({@code crmsync tenant import}): each is checked on its own,
     * {@code parallelism} at a time, then stored and scheduled; a tenant that fails is left out with
     * its problems and the others are added. Every tenant gets the offline checks of {@link #add}
     * (keys, node settings, URLs the node may call, secret names); with {@code validateLive} also
     * {@code validateSetup} against both services. Without it the check is deferred to the tenant's
     * first run, whose failure names the problem in the run journal and is retried; that is how
     * thousands of tenants are added in minutes rather than hours (each live check makes a dozen
     * requests).
     *
     * @return one result per tenant, in the input's order
     */
    public List<TenantImport.Result> importAll(List<TenantImport> tenants, boolean validateLive, int parallelism) {
        Set<String> existing = new HashSet<>();
        registry.list().forEach(t -> existing.add(t.id()));
        return TenantImporter.run(
                tenants,
                parallelism,
                tenant -> {
                    if (existing.contains(tenant.id())) {
                        throw new ClusterException("tenant " + tenant.id() + " exists already");
                    }
                    refuseNodeSettings(tenant);
                    if (validateLive) {
                        validate(tenant);
                    } else {
                        checkOffline(tenant);
                    }
                    return tenant;
                },
                tenant -> scheduleRecurring(registry.add(tenant)));
    }

    /**
     * Replaces a tenant's configuration, once its set-up is valid; every node builds the tenant's
     * engine anew at its next run.
     *
     * @throws TenantSetupException when the new set-up is not valid (the old one stays)
     */
    public Tenant update(String id, Properties config) {
        Tenant current = require(id);
        Tenant next = current.withConfig(config);
        refuseNodeSettings(next);
        validate(next);
        Tenant stored = registry.update(next);
        engines.invalidate(id);
        if (!stored.paused()) {
            scheduleRecurring(stored);
        }
        return stored;
    }

    /**
     * Pauses a tenant: its recurring jobs are taken off the schedule, and queued deliveries and full
     * syncs wait. A run in progress finishes.
     */
    public Tenant pause(String id) {
        Tenant stored = registry.update(require(id).withPaused(true));
        engines.invalidate(id);
        for (TenantJobs.Recurring r : jobs.recurring()) {
            cancel(TaskInstanceId.of(r.task().getName(), id));
        }
        return stored;
    }

    /** Resumes a paused tenant: its recurring jobs are due again one interval from now. */
    public Tenant resume(String id) {
        Tenant stored = registry.update(require(id).withPaused(false));
        scheduleRecurring(stored);
        return stored;
    }

    /**
     * Removes a tenant and its scheduled work (recurring jobs, full sync, queued deliveries). With
     * {@code purge}, its whole state is deleted too (snapshots, cursors, processed ids, quarantine,
     * and its runs in the journal: the GDPR erasure of what crmsync keeps); without, its schema stays
     * for a later re-add.
     *
     * @return whether the tenant existed
     */
    public boolean remove(String id, boolean purge) {
        Tenant.checkId(id);
        boolean existed = registry.remove(id);
        engines.invalidate(id);
        for (TenantJobs.Recurring r : jobs.recurring()) {
            cancel(TaskInstanceId.of(r.task().getName(), id));
        }
        cancel(TaskInstanceId.of(TenantJobs.FULL_SYNC, id));
        List<TaskInstanceId> deliveries = new ArrayList<>();
        scheduler.fetchScheduledExecutionsForTask(TenantJobs.WEBHOOK, TenantJobs.Delivery.class, e -> {
            if (e.getTaskInstance().getId().startsWith(id + "/")) {
                deliveries.add(e.getTaskInstance());
            }
        });
        deliveries.forEach(this::cancel);
        if (purge) {
            stores.purge(id);
            jobs.forgetRuns(id);
        }
        return existed;
    }

    /** A tenant, if it exists. */
    public Optional<Tenant> find(String id) {
        return registry.find(id);
    }

    /** Every tenant. */
    public List<Tenant> list() {
        return registry.list();
    }

    /**
     * The cluster now: its nodes, its tenants with their latest run and waiting work, and the
     * executions that wait for a thread ({@code crmsync status}).
     *
     * @throws ClusterException when the database cannot be read
     */
    public ClusterStatus status() {
        return status.read();
    }

    /**
     * Each tenant's latest run, from the run journal (a tenant without a run has no entry).
     *
     * @throws ClusterException when the journal cannot be read
     */
    public Map<String, LastRun> lastRuns() {
        return jobs.lastRuns();
    }

    /**
     * Queues a full sync of a tenant; it runs on whichever node picks it, resuming from its
     * checkpoint if that node dies.
     *
     * @return false when one is queued or running already (one per tenant at a time)
     */
    public boolean requestFullSync(String id, FullSyncOptions options) {
        require(id);
        return scheduler.scheduleIfNotExists(
                jobs.fullSync.instance(
                        id, new TenantJobs.FullSyncRequest(id, options.mode().name(), options.retryQuarantined())),
                clock.instant());
    }

    /**
     * The journalled runs that pass the filter (null or empty parts match any; outcome
     * {@code running} for runs not ended), newest first.
     *
     * @throws ClusterException when the journal cannot be read
     */
    public List<JournalRun> runs(String job, String tenant, String outcome, int limit) {
        return status.runs(job, tenant, outcome, limit);
    }

    /**
     * A tenant's quarantined records, oldest first, read from its state.
     *
     * @throws ClusterException when there is no such tenant, or its state cannot be read
     */
    public List<QuarantinedRecord> quarantined(String id) {
        require(id);
        return stores.open(id).quarantined();
    }

    /**
     * Queues a quarantined contact to be synced again, as an Efficy change webhook for it would:
     * whichever node picks the delivery reads the contact afresh and syncs it.
     *
     * @return true when it was queued now (false: a retry of it is queued already)
     * @throws ClusterException when there is no such tenant
     */
    public boolean retryContact(String id, long contactKey) {
        require(id);
        String body = "{\"records\":[{\"table\":11000,\"key\":" + contactKey + ",\"operation\":\"Update\"}]}";
        return scheduler.scheduleIfNotExists(
                jobs.webhook.instance(id + "/efficy/retry-" + contactKey, new TenantJobs.Delivery(id, "efficy", body)),
                clock.instant());
    }

    /**
     * Checks, before anything is called, that a would-be tenant's Efficy and APSIS URLs are ones
     * this node may call ({@code cluster.tenantHosts}) and its references stay in its namespace: what
     * the console's set-up wizard does before its live checks, so the wizard cannot reach what a
     * stored tenant could not.
     *
     * @throws ClusterException naming the key and the host, when one is refused
     */
    public void checkCallable(String id, Properties config) {
        configs.forEngine(Tenant.of(Tenant.checkId(id), config));
    }

    /** A tenant's APSIS imports its full sync submitted and has not settled. */
    public int importsInFlight(String id) {
        return SyncEngine.importsInFlight(stores.open(id));
    }

    /** Whether a tenant's full sync is queued or running. */
    public boolean fullSyncPending(String id) {
        Optional<ScheduledExecution<Object>> e =
                scheduler.getScheduledExecution(TaskInstanceId.of(TenantJobs.FULL_SYNC, id));
        return e.isPresent();
    }

    private Tenant require(String id) {
        return registry.find(id).orElseThrow(() -> new ClusterException("no tenant " + id));
    }

    /**
     * What a person should know of a tenant's configuration: keys read under a new name, and each
     * key that is not a tenant key, with the nearest one ({@code efficy.apikey}: did you mean
     * {@code efficy.apiKey}?).
     */
    public List<String> warnings(Properties config) {
        return CrmsyncConfig.of(config, name -> null).warnings(KeyScope.TENANT);
    }

    private static void refuseNodeSettings(Tenant tenant) {
        for (String key : Tenant.NODE_SETTINGS) {
            if (tenant.config().containsKey(key)) {
                throw new ClusterException(
                        "tenant " + tenant.id() + ": " + key + " is not a tenant key; it is "
                                + "a setting of the node (cluster.allowInsecureHttp, apsis.importDirectory in the node's file)");
            }
        }
    }

    /**
     * Checks everything before anything is stored: the schedule and webhook keys parse, then the
     * engine's set-up for the jobs the tenant runs (and only those).
     */
    private void validate(Tenant tenant) {
        JobCatalog catalog;
        try {
            CrmsyncConfig config = configs.of(tenant);
            catalog = JobCatalog.of(config);
            WebhookCredentials.from(config);
        } catch (RuntimeException e) {
            throw new TenantSetupException(tenant.id(), List.of(e.getMessage()));
        }
        SyncEngine engine;
        try {
            engine = engines.build(tenant, false);
        } catch (RuntimeException e) {
            throw new TenantSetupException(tenant.id(), List.of(e.getMessage()));
        }
        try {
            SetupReport report = engine.validateSetup(catalog.jobs());
            if (!report.isValid()) {
                throw new TenantSetupException(tenant.id(), SetupProblems.of(report));
            }
        } finally {
            engine.close();
        }
    }

    /**
     * What is checked without calling anything or resolving a secret (the importing machine need
     * not hold the tenants' secrets): references within the tenant's names, URLs the node may call,
     * schedules that parse.
     */
    private void checkOffline(Tenant tenant) {
        try {
            configs.forEngine(tenant);
            JobCatalog.of(CrmsyncConfig.of(tenant.properties(), name -> null));
        } catch (RuntimeException e) {
            throw new TenantSetupException(tenant.id(), List.of(e.getMessage()));
        }
    }

    /**
     * Schedules a tenant's recurring jobs, each first due within one interval from now, at a point
     * its id decides: tenants added together (an import) do not all come due together, and stay
     * apart since each run reschedules itself one interval after it ends.
     */
    private void scheduleRecurring(Tenant tenant) {
        for (TenantJobs.Recurring r : jobs.recurring()) {
            TaskInstanceId key = TaskInstanceId.of(r.task().getName(), tenant.id());
            if (r.interval(tenant, configs).isZero()) {
                cancel(key);
            } else {
                Duration every = r.interval(tenant, configs);
                long spread = Math.floorMod(
                        tenant.id().hashCode() * 31L + r.task().getName().hashCode(), 1000);
                scheduler.scheduleIfNotExists(
                        r.task().instance(tenant.id(), new TenantJobs.TenantRef(tenant.id())),
                        clock.instant().plus(every.multipliedBy(spread + 1).dividedBy(1000)));
            }
        }
    }

    private void cancel(TaskInstanceId id) {
        if (scheduler.getScheduledExecution(id).isPresent()) {
            try {
                scheduler.cancel(id);
            } catch (RuntimeException e) {
                // picked right now, or gone meanwhile: the run sees the tenant's new state when it ends
            }
        }
    }
}
