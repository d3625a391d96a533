package io.crmsync.sync;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * The settings of a {@link SyncEngine} and their setters, which {@link SyncEngine.Builder} offers
 * (the setters are public; this class is not, as {@code AbstractStringBuilder} is not). Kept apart
 * so the engine's facade stays short. See {@link SyncEngine.Builder} for the defaults.
 *
 * @param <B> the builder type the setters return
 */
abstract class EngineSettings<B extends EngineSettings<B>> {
    EfficyClient efficy;
    ApsisClient apsis;
    String section;
    String keyspace = SyncEngine.Builder.DEFAULT_KEYSPACE;
    MappingProvider mapping = MappingProvider.defaults();
    ConsentPolicy consentPolicy = ConsentPolicy.none();
    SyncCondition condition = SyncCondition.always();
    StopMatchingPolicy stopMatching = SyncEngine.Builder.DEFAULT_STOP_MATCHING;
    DeletedContactPolicy deletedContact = SyncEngine.Builder.DEFAULT_DELETED_CONTACT;
    StateStore store;
    SyncListener listener = SyncListener.NONE;
    Clock clock = Clock.systemUTC();
    int concurrency = SyncEngine.Builder.DEFAULT_CONCURRENCY;
    String consentSource = "crmsync";
    final List<QueryTagMapping> queries = new ArrayList<>();
    String instanceId = "crmsync-" + UUID.randomUUID();
    Duration leaseTtl = Duration.ofSeconds(30);
    int pollPageSize = 500;
    Duration clockSkew = SyncEngine.Builder.DEFAULT_CLOCK_SKEW;
    ZoneId efficyTimeZone = SyncEngine.Builder.DEFAULT_EFFICY_TIME_ZONE;
    ResponseMapping responseMapping = ResponseMapping.defaults();
    Duration reverseWindow = SyncEngine.Builder.DEFAULT_REVERSE_WINDOW;
    Duration reverseLookback = SyncEngine.Builder.DEFAULT_REVERSE_LOOKBACK;
    String exportKeyAttribute = "com.apsis1.attributes.crmid";
    TaskWebhookConfig taskWebhook;
    ExecutorService executor;
    Duration closeTimeout = Duration.ofSeconds(30);
    int circuitBreakerThreshold = 20;

    EngineSettings() {}

    abstract B self();

    /** What reverse sync writes per event type; default {@link io.crmsync.sync.reverse.ResponseMapping#defaults()}. */
    public B responseMapping(ResponseMapping mapping) {
        this.responseMapping = Objects.requireNonNull(mapping, "responseMapping");
        return self();
    }

    /**
     * Reverse sync's export windows and where its first run starts; defaults one day each. APSIS
     * allows one export request a minute, so larger windows catch up faster.
     */
    public B reverseWindows(Duration window, Duration firstLookback) {
        if (window == null
                || window.isNegative()
                || window.isZero()
                || firstLookback == null
                || firstLookback.isNegative()) {
            throw new IllegalArgumentException("reverse sync window must be positive and the look-back not negative");
        }
        this.reverseWindow = window;
        this.reverseLookback = firstLookback;
        return self();
    }

    /**
     * The attribute added to the event export to match events to contacts by CRM id; default
     * {@code com.apsis1.attributes.crmid}; null matches by address only.
     */
    public B exportKeyAttribute(String attribute) {
        this.exportKeyAttribute = attribute;
        return self();
    }

    /** Enables {@link SyncEngine#handleTaskWebhook}. */
    public B taskWebhook(TaskWebhookConfig config) {
        this.taskWebhook = Objects.requireNonNull(config, "taskWebhook");
        return self();
    }

    /** The Efficy client. */
    public B efficy(EfficyClient client) {
        this.efficy = Objects.requireNonNull(client, "efficy");
        return self();
    }

    /** The APSIS client. */
    public B apsis(ApsisClient client) {
        this.apsis = Objects.requireNonNull(client, "apsis");
        return self();
    }

    /** The APSIS section discriminator. */
    public B section(String section) {
        this.section = nonBlank("section", section);
        return self();
    }

    /** The keyspace of the profile keys; default {@code com.apsis1.keyspaces.crm-id}. */
    public B keyspace(String keyspace) {
        this.keyspace = nonBlank("keyspace", keyspace);
        return self();
    }

    /** The field mapping. */
    public B mapping(MappingProvider mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        return self();
    }

    /** The consent policy. */
    public B consentPolicy(ConsentPolicy policy) {
        this.consentPolicy = Objects.requireNonNull(policy, "consentPolicy");
        return self();
    }

    /** Which contacts to sync. */
    public B condition(SyncCondition condition) {
        this.condition = Objects.requireNonNull(condition, "condition");
        return self();
    }

    /** What to do with a contact that stops matching; default LEAVE. */
    public B stopMatching(StopMatchingPolicy policy) {
        this.stopMatching = Objects.requireNonNull(policy, "stopMatching");
        return self();
    }

    /** What an Efficy delete does; default OPT_OUT. */
    public B deletedContact(DeletedContactPolicy policy) {
        this.deletedContact = Objects.requireNonNull(policy, "deletedContact");
        return self();
    }

    /** The state store; default in memory. */
    public B stateStore(StateStore store) {
        this.store = Objects.requireNonNull(store, "stateStore");
        return self();
    }

    /** Progress events. */
    public B listener(SyncListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** The clock. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** Threads writing to APSIS at once; default 8. */
    public B concurrency(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("concurrency must be 1..64, was " + threads);
        }
        this.concurrency = threads;
        return self();
    }

    /** The consent {@code source} APSIS records; default "crmsync". */
    public B consentSource(String source) {
        this.consentSource = nonBlank("consentSource", source);
        return self();
    }

    /** Adds a stored query synced as a tag. */
    public B query(QueryTagMapping query) {
        this.queries.add(Objects.requireNonNull(query, "query"));
        return self();
    }

    /** This instance's name in leases; default a random one. */
    public B instanceId(String id) {
        this.instanceId = nonBlank("instanceId", id);
        return self();
    }

    /**
     * How long a lease lasts without renewal; default 30 seconds. A heartbeat thread renews the
     * leases of running jobs every third of it, so this bounds how long a crashed instance blocks
     * the next (on stores whose leases are not tied to a connection or process, see
     * {@code JdbcStateStore}), not how long a run may take.
     */
    public B leaseTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("leaseTtl must be positive");
        }
        this.leaseTtl = ttl;
        return self();
    }

    /**
     * How far the engine's clock may be ahead of Efficy's; default 5 minutes. A completed full sync
     * leaves the poll cursor at its start time less this, so the first poll after it reads only
     * what changed since (and a little before), not every contact again.
     */
    public B clockSkew(Duration skew) {
        if (skew == null || skew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must be zero or positive");
        }
        this.clockSkew = skew;
        return self();
    }

    /**
     * The time zone of Efficy's {@code D_CHANGE} values; default UTC. The notes say Efficy has a
     * database time zone ({@code currentdatabasetimezone}) but not which one D_CHANGE uses, hence
     * the setting. Used to turn the full sync's start time into a poll cursor.
     */
    public B efficyTimeZone(ZoneId zone) {
        this.efficyTimeZone = Objects.requireNonNull(zone, "efficyTimeZone");
        return self();
    }

    /** Contacts per page when polling changes; default 500. */
    public B pollPageSize(int size) {
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("pollPageSize must be 1..10000, was " + size);
        }
        this.pollPageSize = size;
        return self();
    }

    /**
     * Runs the engine's APSIS writes on the host's threads instead of its own pool of
     * {@link #concurrency} threads; the engine then never shuts the executor down. Use an executor
     * with at least 2 threads: a page's contacts are written in parallel.
     */
    public B executor(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /**
     * After how many contacts in a row fail with a passing error (after the client's own retries) a
     * run ends early with {@link CircuitOpenException}; default 20. Below it, a failing contact is
     * parked (quarantined and tried again by later runs) and the run goes on: one contact's trouble
     * does not end the run, a service that is down does.
     */
    public B circuitBreakerThreshold(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("circuitBreakerThreshold must be at least 1, was " + failures);
        }
        this.circuitBreakerThreshold = failures;
        return self();
    }

    /** How long {@link SyncEngine#close()} waits for runs in flight; default 30 s. */
    public B closeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must be zero or positive");
        }
        this.closeTimeout = timeout;
        return self();
    }

    static String nonBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
