package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.crmsync.config.jobs.HostedJob;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.Job;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.RunStoppedException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's tasks on db-scheduler, each instance one tenant's:
 * <ul>
 *   <li>recurring, one instance per tenant ({@code instance = tenant id}): {@value #POLL},
 *       {@value #REVERSE} and {@value #QUERIES}. Each run reschedules itself after the interval
 *       in the tenant's {@code JobCatalog} ({@code schedule.pollInterval}, default 1 minute;
 *       {@code schedule.reverseInterval}, off; {@code schedule.queryInterval}, 1 hour; zero
 *       stops it), read when the run ends, so an update takes effect without rescheduling;
 *   <li>one-time {@value #FULL_SYNC}, instance = tenant id, so one per tenant at a time;
 *   <li>one-time {@value #WEBHOOK}, instance = {@code <tenant>/<kind>/<delivery id>}: a delivery
 *       queued twice is one task across the cluster;
 *   <li>{@value #JOURNAL_CLEANUP}, one for the cluster, hourly: forgets journalled runs older
 *       than the node's journal retention.
 * </ul>
 * A dead node's executions are revived by {@link Revivals} and resume from the engine's
 * checkpoints; ordinary ones hold at most the node's {@link NodeCapacity}. A paused tenant's full
 * syncs look again each minute, its deliveries wait as failed ones do (given up after the last
 * attempt); a removed tenant's tasks end. Package-private.
 */
final class TenantJobs {

    static final String POLL = "crmsync-poll";
    static final String REVERSE = "crmsync-reverse-sync";
    static final String QUERIES = "crmsync-queries";
    static final String FULL_SYNC = "crmsync-full-sync";
    static final String WEBHOOK = "crmsync-webhook";
    static final String JOURNAL_CLEANUP = "crmsync-journal-cleanup";

    /** Task data of the recurring jobs. */
    record TenantRef(String tenant) {}

    /** Task data of a full sync. */
    record FullSyncRequest(String tenant, String mode, boolean retryQuarantined) {}

    /** Task data of a webhook delivery: its kind ({@code efficy} or {@code apsis-task}) and body. */
    record Delivery(String tenant, String kind, String body) {}

    private static final Logger LOG = LoggerFactory.getLogger(TenantJobs.class);
    private static final Duration PAUSED_RECHECK = Duration.ofMinutes(1);
    private static final Duration FENCED_RETRY = Duration.ofSeconds(5);

    /** How an exclusive run ended. */
    private enum RunEnd {
        /** It finished, its node still holding the execution. */
        FINISHED,
        /** Its fence stopped it while its node still held the execution. */
        FENCED,
        /** Another node picked the execution meanwhile: the execution is that node's now. */
        SUPERSEDED
    }

    private final TenantRegistry registry;
    private final TenantEngines engines;
    private final ExecutionLeases leases;
    private final RunJournal journal;
    private final TenantConfigs configs;
    private final Clock clock;
    private final TaskRetries retries;
    private final Revivals revivals;
    private final NodeCapacity capacity;
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong fenced = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final List<Consumer<FinishedRun>> runEnds = new CopyOnWriteArrayList<>();
    final CustomTask<TenantRef> poll;
    final CustomTask<TenantRef> reverse;
    final CustomTask<TenantRef> queries;
    final CustomTask<FullSyncRequest> fullSync;
    final CustomTask<Delivery> webhook;
    final RecurringTask<Void> journalCleanup;

    TenantJobs(
            TenantRegistry registry,
            TenantEngines engines,
            ExecutionLeases leases,
            RunJournal journal,
            TenantConfigs configs,
            Clock clock,
            Duration journalRetention,
            TaskRetries retries,
            Revivals revivals,
            NodeCapacity capacity) {
        this.registry = registry;
        this.engines = engines;
        this.leases = leases;
        this.journal = journal;
        this.configs = configs;
        this.clock = clock;
        this.retries = retries;
        this.revivals = revivals;
        this.capacity = capacity;
        this.poll = recurring(POLL, HostedJob.POLL);
        this.reverse = recurring(REVERSE, HostedJob.REVERSE_SYNC);
        this.queries = recurring(QUERIES, HostedJob.QUERY_TAGS);
        this.fullSync = Tasks.custom(FULL_SYNC, FullSyncRequest.class)
                .onDeadExecution(revivals.handler(Job.FULL_SYNC.id()))
                .onFailure(retries.retryOrAbandon("full sync", clock, abandoned))
                .execute((instance, ctx) -> capacity.run(ctx, () -> runFullSync(instance, ctx)));
        this.webhook = Tasks.custom(WEBHOOK, Delivery.class)
                .onDeadExecution(revivals.handler(null))
                .onFailure(retries.retryOrAbandon("delivery", clock, abandoned))
                .execute((instance, ctx) -> capacity.run(ctx, () -> runDelivery(instance, ctx)));
        this.journalCleanup = Tasks.recurring(JOURNAL_CLEANUP, FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, ctx) -> {
                    int gone = journal.forget(journalRetention);
                    if (gone > 0) {
                        LOG.info("forgot {} runs older than {} from the run journal", gone, journalRetention);
                    }
                });
    }

    /** The node's counters, with the node's own. */
    ClusterStats stats(String node, long accepted, long due, long overdue) {
        return new ClusterStats(
                node,
                succeeded.get(),
                fenced.get(),
                failed.get(),
                deliveries.get(),
                accepted,
                abandoned.get(),
                engines.size(),
                capacity.deferred(),
                revivals.postponed(),
                due,
                overdue,
                engines.quarantined());
    }

    List<Task<?>> all() {
        return List.of(poll, reverse, queries, fullSync, webhook); // journalCleanup is a start task
    }

    /** The recurring tasks, each with the catalog's job it runs. */
    List<Recurring> recurring() {
        return List.of(
                new Recurring(poll, HostedJob.POLL),
                new Recurring(reverse, HostedJob.REVERSE_SYNC),
                new Recurring(queries, HostedJob.QUERY_TAGS));
    }

    /** A recurring task and the job it runs, every interval the tenant's {@link JobCatalog} says. */
    record Recurring(CustomTask<TenantRef> task, HostedJob job) {
        Duration interval(Tenant tenant, TenantConfigs configs) {
            return catalog(tenant, configs).interval(job);
        }
    }

    /** A tenant's job catalog (its schedule keys are parsed when it is added, so this does not fail then). */
    static JobCatalog catalog(Tenant tenant, TenantConfigs configs) {
        return JobCatalog.of(configs.of(tenant));
    }

    private CustomTask<TenantRef> recurring(String name, HostedJob job) {
        return Tasks.custom(name, TenantRef.class)
                .onDeadExecution(revivals.handler(job.job().id()))
                .onFailure(TaskRetries.nextInterval(job.job().id(), tenant -> next(tenant, job)))
                .execute((instance, ctx) -> capacity.run(ctx, () -> {
                    String tenantId = instance.getData().tenant();
                    Optional<Tenant> tenant = registry.find(tenantId);
                    if (tenant.isPresent()
                            && !tenant.get().paused()
                            && runRecurring(tenant.get(), job, ctx) == RunEnd.SUPERSEDED) {
                        return leaveToItsHolder();
                    }
                    return (CompletionHandler<TenantRef>) (complete, ops) ->
                            next(tenantId, job).ifPresentOrElse(at -> ops.reschedule(complete, at), ops::remove);
                }));
    }

    /**
     * Runs a recurring job, or, for a poll on a store that has never synced, queues the tenant's
     * first full sync instead (a first poll would send every contact one request at a time).
     */
    private RunEnd runRecurring(Tenant tenant, HostedJob job, ExecutionContext ctx) {
        if (job == HostedJob.POLL) {
            JobCatalog catalog = catalog(tenant, configs);
            HostedJob effective;
            try (TenantEngines.Use use = engines.use(tenant)) {
                effective = catalog.effective(job, use.engine().stateStore());
            }
            if (effective == HostedJob.FULL_SYNC) {
                boolean queued = ctx.getSchedulerClient()
                        .scheduleIfNotExists(
                                fullSync.instance(
                                        tenant.id(), new FullSyncRequest(tenant.id(), SyncMode.AUTO.name(), false)),
                                clock.instant());
                if (queued) {
                    LOG.info(
                            "tenant {}: its store has never synced, so a full sync runs before its first poll",
                            tenant.id());
                }
                return RunEnd.FINISHED;
            }
        }
        return runExclusive(tenant, job.job(), ctx, job::runOn);
    }

    /** Each tenant's latest journalled run. */
    Map<String, LastRun> lastRuns() {
        return journal.lastRuns();
    }

    /** Forgets a purged tenant's journalled runs. */
    void forgetRuns(String tenantId) {
        journal.forgetTenant(tenantId);
    }

    /** When a recurring job runs next: empty when the tenant is gone, paused or the job is off. */
    private Optional<Instant> next(String tenantId, HostedJob job) {
        Optional<Tenant> tenant = registry.find(tenantId);
        if (tenant.isEmpty() || tenant.get().paused()) {
            return Optional.empty();
        }
        Duration every;
        try {
            every = catalog(tenant.get(), configs).interval(job);
        } catch (RuntimeException e) {
            Duration fallback = job.intervalKey().flatMap(k -> k.defaultValue()).orElse(Duration.ofMinutes(1));
            LOG.warn("tenant {}: {}; using {}", tenantId, e.getMessage(), fallback);
            every = fallback;
        }
        return every.isZero() ? Optional.empty() : Optional.of(clock.instant().plus(every));
    }

    private CompletionHandler<FullSyncRequest> runFullSync(
            TaskInstance<FullSyncRequest> instance, ExecutionContext ctx) {
        FullSyncRequest request = instance.getData();
        Optional<Tenant> tenant = registry.find(request.tenant());
        if (tenant.isEmpty()) {
            return (complete, ops) -> ops.remove();
        }
        if (tenant.get().paused()) {
            return (complete, ops) -> ops.reschedule(complete, clock.instant().plus(PAUSED_RECHECK));
        }
        FullSyncOptions options = FullSyncOptions.defaults()
                .withMode(SyncMode.valueOf(request.mode()))
                .withRetryQuarantined(request.retryQuarantined());
        return switch (runExclusive(tenant.get(), Job.FULL_SYNC, ctx, engine -> engine.fullSync(options))) {
            case FINISHED -> (complete, ops) -> ops.remove();
            case SUPERSEDED -> leaveToItsHolder();
            // Fenced while the execution is still this node's (its lease time ran out here): the full
            // sync runs again soon from its checkpoint.
            case FENCED ->
                (complete, ops) -> ops.reschedule(complete, clock.instant().plus(FENCED_RETRY));
        };
    }

    private CompletionHandler<Delivery> runDelivery(TaskInstance<Delivery> instance, ExecutionContext ctx) {
        Delivery d = instance.getData();
        Optional<Tenant> tenant = registry.find(d.tenant());
        if (tenant.isEmpty()) {
            return (complete, ops) -> ops.remove();
        }
        if (tenant.get().paused()) {
            // A delivery holds personal data (a task's e-mail and subject): while its tenant is
            // paused it waits as a failure does, with the same growing wait and the same give-up.
            throw new ClusterException("tenant " + d.tenant() + " is paused; its delivery waits");
        }
        try (RunContext context = RunContext.enter(d.tenant(), d.kind() + " delivery", -1, List.of());
                TenantEngines.Use use = engines.use(tenant.get())) {
            if (d.kind().equals("efficy")) {
                try {
                    use.engine().handleEfficyWebhook(d.body());
                } catch (IllegalArgumentException bad) {
                    LOG.warn("tenant {}: Efficy delivery dropped: {}", d.tenant(), bad.getMessage());
                }
            } else {
                TaskWebhookResult r =
                        use.engine().handleAuthenticatedTaskWebhook(d.body().getBytes(StandardCharsets.UTF_8));
                if (r.status() >= 500) {
                    throw new ClusterException(
                            "tenant " + d.tenant() + ": task delivery not done yet (" + r.outcome() + ")");
                }
                if (r.status() >= 400) {
                    LOG.warn("tenant {}: task delivery dropped: {} {}", d.tenant(), r.outcome(), r.message());
                }
            }
        }
        deliveries.incrementAndGet();
        return (complete, ops) -> ops.remove();
    }

    /** Whether this node still holds the execution; true when the database cannot tell. */
    private boolean holdsOrCannotTell(ExecutionLeases.Held held) {
        try {
            return leases.holds(held);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * The completion of a run whose execution another node picked meanwhile: it leaves the
     * execution alone (db-scheduler's own update would fail on the version and log it as a bug).
     */
    private static <T> CompletionHandler<T> leaveToItsHolder() {
        return (complete, ops) -> {};
    }

    /**
     * Journals a run's end, as {@code outcome} if this node still holds its execution, else as
     * superseded; returns whether it held it. When the journal cannot tell, asks the execution
     * table alone, and counts a database that cannot answer as held.
     */
    private boolean endHeld(
            long run, ExecutionLeases.Held held, String outcome, String detail, String supersededDetail) {
        Optional<Boolean> journalled = journal.endedIfHeld(run, held, outcome, detail, supersededDetail);
        if (journalled.isPresent()) {
            return journalled.get();
        }
        boolean stillHeld = holdsOrCannotTell(held);
        journal.ended(run, stillHeld ? outcome : "superseded", stillHeld ? detail : supersededDetail);
        return stillHeld;
    }

    /**
     * Runs an exclusive job under this execution: its version becomes the run's lease, and the run
     * is journalled. A run fenced off (its execution revived elsewhere, or its lease time passed)
     * ends quietly.
     *
     * @return how the run ended
     */
    private RunEnd runExclusive(Tenant tenant, Job job, ExecutionContext ctx, Function<SyncEngine, ?> work) {
        Execution e = ctx.getExecution();
        ExecutionLeases.Held held =
                new ExecutionLeases.Held(e.taskInstance.getTaskName(), e.taskInstance.getId(), e.version);
        leases.hold(tenant.id(), job.id(), held);
        long run = journal.started(tenant.id(), job.id(), e.version, e.executionTime);
        RunContext context = RunContext.enter(tenant.id(), job.id(), run, runEnds);
        try (TenantEngines.Use use = engines.use(tenant)) {
            work.apply(use.engine());
            // Finished; if another node took the execution meanwhile (this node stalled after its last
            // commit), its commits were all fenced, and its completion will not count.
            if (!endHeld(run, held, "succeeded", null, "finished after its execution was picked elsewhere")) {
                context.ended("superseded", fenced);
                return RunEnd.SUPERSEDED;
            }
            context.ended("succeeded", succeeded);
            return RunEnd.FINISHED;
        } catch (RunStoppedException | JobAlreadyRunningException stopped) {
            journal.ended(run, "fenced", stopped.getMessage());
            context.ended("fenced", fenced);
            LOG.info("tenant {}: {} stopped: {}", tenant.id(), job.id(), stopped.getMessage());
            return holdsOrCannotTell(held) ? RunEnd.FENCED : RunEnd.SUPERSEDED;
        } catch (RuntimeException failure) {
            String kind = failure.getClass().getSimpleName();
            if (!endHeld(
                    run,
                    held,
                    "failed",
                    kind + ": " + failure.getMessage(),
                    kind + " after its execution was picked elsewhere")) {
                context.ended("superseded", fenced);
                return RunEnd.SUPERSEDED;
            }
            context.ended("failed", failed);
            throw failure;
        } finally {
            leases.drop(tenant.id(), job.id());
            context.close();
        }
    }
}
