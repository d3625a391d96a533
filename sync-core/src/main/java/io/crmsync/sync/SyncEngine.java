package io.crmsync.sync;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.internal.ForwardSettings;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.ReverseSettings;
import io.crmsync.sync.internal.RunSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.forward.ChangePoller;
import io.crmsync.sync.internal.forward.ContactReader;
import io.crmsync.sync.internal.forward.ContactSyncer;
import io.crmsync.sync.internal.forward.FullSyncJob;
import io.crmsync.sync.internal.forward.QueryTagSync;
import io.crmsync.sync.internal.forward.RealTimeSync;
import io.crmsync.sync.internal.plan.Planner;
import io.crmsync.sync.internal.reverse.ReverseSync;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.WriterThreads;
import io.crmsync.sync.internal.setup.SetupValidator;
import io.crmsync.sync.internal.tasks.TaskWebhookHandler;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.state.StateStore;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps APSIS One profiles in step with Efficy Enterprise contacts.
 *
 * <p>Every trigger takes the same path: read the contact (with its consent checkboxes and Profile
 * memberships) from Efficy, apply the {@link SyncCondition}, map fields with the
 * {@link MappingProvider}, decide consents with the {@link ConsentPolicy}, diff against the
 * contact's last snapshot in the {@link StateStore}, write only what changed to APSIS, and save
 * the new snapshot only once APSIS confirmed the writes. An unchanged contact costs no APSIS call.
 *
 * <p>Triggers: {@link #syncContact}, {@link #handleEfficyWebhook}, {@link #pollChanges} (follows
 * {@code D_CHANGE}), {@link #fullSync} (resumable, per profile or by CSV import), and
 * {@link #syncQueries} (stored queries as tags). {@link #validateSetup} checks both accounts.
 *
 * <p>The engine is thread-safe: writes for one contact never overlap, writes for different
 * contacts run on up to {@code concurrency} threads (default 8), and the APSIS client keeps the
 * rate limits. Jobs that must run once at a time (poll, full sync, queries, reverse sync) take a
 * guard within the engine and a lease in the store. {@link #close()} waits for runs in flight,
 * then stops the engine's own threads (a host's {@link Builder#executor executor} stays the
 * host's). The work is done by classes in {@code io.crmsync.sync.internal}, each for one job; this
 * class only builds them and passes calls on.
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder()
 *     .efficy(efficyClient)
 *     .apsis(apsisClient)
 *     .section("com.apsis1.sections.default")
 *     .consentPolicy(ConsentPolicy.of(
 *         ConsentMapping.checkbox("F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL)))
 *     .stateStore(JdbcStateStore.create("jdbc:h2:file:./crmsync-state"))
 *     .build()) {
 *   SyncReport report = engine.fullSync(FullSyncOptions.defaults());
 * }
 * }</pre>
 */
public final class SyncEngine implements AutoCloseable {

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final RunSettings runs;
    private final boolean ownWorkers;
    private final Duration closeTimeout;
    private final JobRunner jobs;
    private final ContactReader reader;
    private final RealTimeSync realTime;
    private final ChangePoller poller;
    private final FullSyncJob fullSync;
    private final QueryTagSync queryTags;
    private final ReverseSync reverse;
    private final TaskWebhookHandler tasks;
    private final ReverseSettings reverseSettings;

    private SyncEngine(Builder b) {
        this.ownWorkers = b.executor == null;
        ExecutorService workers = ownWorkers ? WriterThreads.idleFreeing(b.concurrency) : b.executor;
        this.closeTimeout = b.closeTimeout;
        this.services = new Services(b.efficy, b.apsis, b.store, b.clock);
        this.target = new ProfileTarget(b.section, b.keyspace, b.consentSource);
        this.policies =
                new Policies(b.mapping, b.consentPolicy, b.condition, b.stopMatching, b.deletedContact, b.queries);
        this.runs = new RunSettings(
                b.listener, workers, b.concurrency, b.instanceId, b.leaseTtl, b.circuitBreakerThreshold);
        ForwardSettings forward = new ForwardSettings(b.pollPageSize, b.clockSkew, b.efficyTimeZone);
        this.reverseSettings = new ReverseSettings(
                b.responseMapping, b.reverseWindow, b.reverseLookback, b.exportKeyAttribute, b.taskWebhook);
        this.jobs = new JobRunner(services, runs);
        this.reader = new ContactReader(b.efficy, b.mapping, b.consentPolicy, b.condition);
        ContactReader contacts = this.reader;
        ContactSyncer syncer = new ContactSyncer(
                services,
                target,
                policies,
                runs,
                jobs,
                new Planner(b.mapping, b.consentPolicy, b.condition, b.stopMatching),
                contacts::one);
        this.realTime = new RealTimeSync(jobs, reader, syncer);
        this.poller = new ChangePoller(services, forward, jobs, reader, syncer);
        this.fullSync = new FullSyncJob(services, target, policies, forward, jobs, reader, syncer);
        this.queryTags = new QueryTagSync(services, target, policies, jobs);
        this.reverse = new ReverseSync(services, target, policies, reverseSettings, jobs, reader);
        this.tasks = b.taskWebhook == null ? null : new TaskWebhookHandler(services, b.taskWebhook);
    }

    /** Starts a builder; the two clients and the section are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The state store. */
    public StateStore stateStore() {
        return services.store();
    }

    /**
     * The APSIS imports a full sync submitted and has not yet settled, read from a state store (0
     * when none): for a host that holds a tenant's store but no engine, as this engine's store does.
     */
    public static int importsInFlight(StateStore store) {
        return FullSyncJob.importsInFlight(store);
    }

    /** The Efficy client. */
    public EfficyClient efficy() {
        return services.efficy();
    }

    /** The APSIS client. */
    public ApsisClient apsis() {
        return services.apsis();
    }

    /** The APSIS section. */
    public String section() {
        return target.section();
    }

    /** The APSIS keyspace of the profile keys (the Efficy contact keys). */
    public String keyspace() {
        return target.keyspace();
    }

    /** The consent policy. */
    public ConsentPolicy consentPolicy() {
        return policies.consentPolicy();
    }

    /**
     * Syncs one contact now: reads it from Efficy and writes what changed to APSIS. A contact Efficy
     * no longer has is handled as deleted ({@link DeletedContactPolicy}).
     */
    public SyncReport syncContact(long contactKey) {
        return realTime.contact(contactKey);
    }

    /**
     * Handles the body of an Efficy webhook call. Every contact record is a hint: the contact is read
     * fresh from Efficy (webhook fields may be partial, late or forged) and synced; only a contact
     * Efficy no longer has follows the {@link DeletedContactPolicy}, so a Delete for a live contact
     * opts nobody out. Other tables are ignored. The caller authenticates the call.
     *
     * @throws IllegalArgumentException when the body is not an Efficy webhook payload, holds more
     *     than 1,000 records or a key that is not a positive 64-bit integer
     */
    public SyncReport handleEfficyWebhook(String body) {
        return realTime.webhook(body);
    }

    /**
     * Syncs the contacts changed since the last poll, following {@code D_CHANGE} with ties broken
     * by key, and commits the cursor after each page. The first poll starts from the beginning
     * (unchanged contacts cost only Efficy reads). Takes the {@code poll} lease.
     *
     * @throws JobAlreadyRunningException when another instance is polling
     */
    public SyncReport pollChanges() {
        return poller.run();
    }

    /**
     * Walks every Efficy contact in pages and syncs what changed, committing snapshots and a
     * checkpoint after each page (or import batch). A run that crashed or was stopped resumes from
     * its checkpoint; a run that completes clears it. In a dry run nothing is written and nothing
     * is committed; the report counts what would be done. Takes the {@code fullSync} lease.
     *
     * @throws JobAlreadyRunningException when another instance runs a full sync
     */
    public SyncReport fullSync(FullSyncOptions options) {
        return fullSync.run(options);
    }

    /**
     * Syncs each configured stored query as a tag: members gain it, leavers lose it. Only contacts
     * whose profile the engine created are tagged; the membership is stored after APSIS confirmed.
     * Takes the {@code syncQueries} lease.
     */
    public SyncReport syncQueries() {
        return queryTags.run();
    }

    /**
     * Brings APSIS email events (sent, delivered, opened, clicked, bounced, unsubscribed) into
     * Efficy, window by window from the cursor kept in the store: each event at most once, as a
     * history record and/or contact field updates per the {@link io.crmsync.sync.reverse.ResponseMapping};
     * an unsubscribe also unticks the mapped consent in Efficy. Events are matched to contacts by the
     * CRM id column of the export, else by address; an event matching no contact or several is
     * quarantined. The first run starts the configured look-back ago (default 1 day). Takes the
     * {@code reverseSync} lease.
     *
     * @throws JobAlreadyRunningException when another instance runs it
     */
    public SyncReport reverseSync() {
        return reverse.run(false);
    }

    /**
     * Reverse sync as {@link #reverseSync()}, which also retries, at the start of each run, the
     * quarantined events (no contact, several contacts, a record Efficy refused) that failed fewer
     * than 5 times, even though the export window they came from has passed. With
     * {@code retryQuarantined} every quarantined event is retried, however often it failed.
     *
     * @throws JobAlreadyRunningException when another instance runs it
     */
    public SyncReport reverseSync(boolean retryQuarantined) {
        return reverse.run(retryQuarantined);
    }

    /**
     * Handles an APSIS Marketing Automation webhook call that asks for an Efficy task: checks the
     * shared secret, parses the payload, dedupes by delivery id, resolves the contact and the
     * assignee, and creates the task. The result tells the host which HTTP status to answer; nothing
     * is written unless the result is {@code CREATED}.
     *
     * @param body the raw request body
     * @param headers the request headers (names in any case)
     * @throws IllegalStateException when no task webhook is configured
     */
    public TaskWebhookResult handleTaskWebhook(byte[] body, Map<String, List<String>> headers) {
        if (tasks == null) {
            throw new IllegalStateException("no task webhook is configured; set SyncEngine.builder().taskWebhook(...)");
        }
        return tasks.handle(body, headers);
    }

    /**
     * The first half of {@link #handleTaskWebhook}, for a host that queues deliveries and handles
     * them later without keeping their secret: checks the size and the secret (bearer or HMAC, in
     * constant time) and says why the call is refused, or empty when it may be queued. Then pass the
     * body alone to {@link #handleAuthenticatedTaskWebhook}.
     *
     * @throws IllegalStateException when no task webhook is configured
     */
    public Optional<TaskWebhookResult> refuseTaskWebhook(byte[] body, Map<String, List<String>> headers) {
        if (tasks == null) {
            throw new IllegalStateException("no task webhook is configured; set SyncEngine.builder().taskWebhook(...)");
        }
        return Optional.ofNullable(tasks.refusal(body, headers));
    }

    /**
     * The second half of {@link #handleTaskWebhook}: handles a body that {@link #refuseTaskWebhook}
     * accepted, once per delivery id, as {@code handleTaskWebhook} does.
     *
     * @throws IllegalStateException when no task webhook is configured
     */
    public TaskWebhookResult handleAuthenticatedTaskWebhook(byte[] body) {
        if (tasks == null) {
            throw new IllegalStateException("no task webhook is configured; set SyncEngine.builder().taskWebhook(...)");
        }
        return tasks.handleAuthentic(body);
    }

    /**
     * Checks both accounts and the configuration, and reports every problem at once: Efficy
     * credentials and version, that every Efficy field the engine reads exists, APSIS credentials,
     * that the section, keyspace, mapped attributes, consent topics and channels, and tags exist.
     */
    public SetupReport validateSetup() {
        return validateSetup(EnumSet.allOf(Job.class));
    }

    /**
     * Checks what the given jobs use, and only that, reporting every problem at once: both
     * credentials and the Efficy version always; the contact fields, section, keyspace, attributes,
     * consent topics and channels for the forward jobs; the tags for {@link Job#SYNC_QUERIES}; the
     * Acti and contact fields reverse sync writes for {@link Job#REVERSE_SYNC}; the task's source-id
     * field for {@link Job#TASK_WEBHOOK}. A host passes the jobs it runs, so a field that only an
     * unused job needs (a customer field a stock Efficy lacks) is not reported.
     *
     * @since 0.2.0
     */
    public SetupReport validateSetup(Set<Job> jobs) {
        return new SetupValidator(services, target, policies, reverseSettings, reader.fields()).validate(jobs);
    }

    /**
     * Stops the engine: runs in flight stop at their next safe point (before their next write or
     * checkpoint, so nothing committed is lost and the next run resumes from the checkpoint), new
     * runs are refused with {@link RunStoppedException}, and after up to the
     * {@link Builder#closeTimeout close timeout} (30 s) every lease still held is given back, so
     * another instance can take over at once. Then it stops the engine's own writer threads. A
     * host's executor, the clients and the store are the host's to close. Idempotent. A process's
     * shutdown hook (SIGTERM) should call it.
     */
    @Override
    public void close() {
        jobs.stopRuns();
        jobs.awaitIdle(closeTimeout);
        jobs.releaseAll();
        if (ownWorkers) {
            runs.workers().shutdown();
            try {
                runs.workers().awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs.workers().shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "SyncEngine{section=" + target.section() + ", keyspace=" + target.keyspace() + ", mapping="
                + policies.mapping().version() + ", instance=" + runs.instanceId() + "}";
    }

    /**
     * Builds a {@link SyncEngine}. Required: {@link #efficy}, {@link #apsis}, {@link #section}.
     * Defaults: keyspace {@code com.apsis1.keyspaces.crm-id}, {@link MappingProvider#defaults()},
     * {@link ConsentPolicy#none()}, {@link SyncCondition#always()}, {@link StopMatchingPolicy#LEAVE},
     * {@link DeletedContactPolicy#OPT_OUT}, an in-memory store (use a {@code JdbcStateStore} to keep
     * state across restarts), 8 writer threads of its own (or the host's {@link #executor}),
     * consent source "crmsync", leases of 30 seconds (renewed every 10 s by a heartbeat), poll pages of 500, a clock skew of 5 minutes,
     * D_CHANGE in UTC, a close timeout of 30 s, the UTC clock, no stored queries.
     */
    public static final class Builder extends EngineSettings<Builder> {

        /** The keyspace of the profile keys unless {@link #keyspace} says otherwise. */
        public static final String DEFAULT_KEYSPACE = "com.apsis1.keyspaces.crm-id";
        /** Threads writing to APSIS at once unless {@link #concurrency} says otherwise. */
        public static final int DEFAULT_CONCURRENCY = 8;
        /** How far the engine's clock may be ahead of Efficy's unless {@link #clockSkew} says otherwise. */
        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
        /** The time zone of Efficy's {@code D_CHANGE} unless {@link #efficyTimeZone} says otherwise. */
        public static final ZoneId DEFAULT_EFFICY_TIME_ZONE = ZoneOffset.UTC;
        /** What happens to a contact that stops matching unless {@link #stopMatching} says otherwise. */
        public static final StopMatchingPolicy DEFAULT_STOP_MATCHING = StopMatchingPolicy.LEAVE;
        /** What an Efficy delete does unless {@link #deletedContact} says otherwise. */
        public static final DeletedContactPolicy DEFAULT_DELETED_CONTACT = DeletedContactPolicy.OPT_OUT;
        /** Reverse sync's export window unless {@link #reverseWindows} says otherwise. */
        public static final Duration DEFAULT_REVERSE_WINDOW = Duration.ofDays(1);
        /** How far back reverse sync's first run starts unless {@link #reverseWindows} says otherwise. */
        public static final Duration DEFAULT_REVERSE_LOOKBACK = Duration.ofDays(1);

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the engine.
         *
         * @throws IllegalStateException naming what is missing
         */
        public SyncEngine build() {
            if (efficy == null) {
                throw new IllegalStateException("SyncEngine needs an efficy client");
            }
            if (apsis == null) {
                throw new IllegalStateException("SyncEngine needs an apsis client");
            }
            if (section == null) {
                throw new IllegalStateException("SyncEngine needs an APSIS section");
            }
            if (store == null) {
                store = StateStore.inMemory();
            }
            return new SyncEngine(this);
        }
    }
}
