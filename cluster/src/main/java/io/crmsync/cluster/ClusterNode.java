package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.crmsync.config.webhook.WebhookGate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One node of a crmsync cluster: a db-scheduler {@link Scheduler} on the shared PostgreSQL that
 * runs every tenant's jobs (recurring polls, reverse syncs and query tags; one-time full syncs
 * and webhook deliveries), with each tenant's engine built from its configuration in the
 * {@link TenantRegistry}, its state in a schema of its own ({@link TenantStateStores}), and its
 * APSIS requests drawn from a budget shared by every node ({@link SharedAccountBudget}). Start as
 * many nodes as the load needs, on as many machines; they need nothing but the database in
 * common.
 *
 * <p>Failover: each node beats every {@code heartbeatInterval}; a node silent for
 * {@code missedHeartbeats} beats is dead, and its executions are picked again elsewhere within
 * about two more beats plus the polling interval, first in line, on threads each node keeps for
 * revived work; a node just back from losing the database revives nothing for a dead limit. Nodes
 * claim due work with {@code SELECT ... FOR UPDATE SKIP LOCKED}, only as much as they have free
 * threads. A run's lease is its picked execution, version and all (see {@code docs/CLUSTER.md});
 * its writes stop once unconfirmed for the dead limit less two beats, before any other node can
 * take the execution over.
 *
 * <p>Defaults: node name {@code <host>-<pid>}, a run journal kept 7 days, 8 threads and 2 more for
 * revived work, heartbeat every 2 s, dead after 5 missed beats (10 s), polling every 2 s, immediate
 * execution on, 64 cached engines, secrets from the environment, 90 APSIS requests/s per account
 * (APSIS allows 100), failed full syncs and deliveries retried from 10 s doubling to 1 h and given
 * up after 30 failures, the shipped tables applied on start.
 *
 * <pre>{@code
 * try (ClusterNode node = ClusterNode.builder(dataSource).build()) {
 *   node.start();
 *   node.admin().add("acme", acmeProperties);
 * }
 * }</pre>
 */
public final class ClusterNode implements AutoCloseable {

    private static final String PROBE_TENANT = "crmsync-probe";

    private final String name;
    private final Scheduler scheduler;
    private final TenantRegistry registry;
    private final TenantEngines engines;
    private final TenantJobs jobs;
    private final TenantAdmin admin;
    private final Clock clock;
    private final Duration deadAfter;
    private final AtomicLong accepted = new AtomicLong();
    private final TenantGates gates;
    private final TenantConfigs configs;
    private final DatabaseOutage outage;
    private final ClusterStatusReader status;

    private ClusterNode(Builder b) {
        this.name = b.name;
        this.configs = new TenantConfigs(b.secrets, b.secretNames, b.tenantUrls, b.importDirectory);
        this.clock = b.clock;
        if (b.migrate) {
            ClusterSchema.apply(b.dataSource);
        }
        this.registry = b.registry != null ? b.registry : new JdbcTenantRegistry(b.dataSource);
        this.deadAfter = b.heartbeat.multipliedBy(b.missedHeartbeats);
        RunJournal journal = new RunJournal(b.dataSource, b.name);
        this.status = new ClusterStatusReader(b.dataSource, registry, journal, deadAfter, b.name);
        this.outage = new DatabaseOutage(() -> {
            registry.find(PROBE_TENANT);
            status.beat();
        });
        TenantStateStores stores = new TenantStateStores(b.dataSource);
        ExecutionLeases leases = new ExecutionLeases(b.dataSource, b.name);
        outage.onRecovery(journal::flushPending);
        Revivals revivals = new Revivals(b.dataSource, journal, outage, deadAfter, b.name);
        this.engines = new TenantEngines(
                b.engineCache,
                configs,
                stores,
                leases,
                new SharedAccountBudget(b.dataSource, b.apsisRequestsPerSecond),
                b.name,
                ExecutionLeases.leaseTime(b.heartbeat, b.missedHeartbeats));
        this.jobs = new TenantJobs(
                registry,
                engines,
                leases,
                journal,
                configs,
                b.clock,
                b.journalRetention,
                b.retries,
                revivals,
                new NodeCapacity(b.threads, revivals, b.clock, b.pollingInterval));
        int reserved = b.reservedThreads < 0 ? NodeCapacity.defaultReserve(b.threads) : b.reservedThreads;
        this.scheduler = NodeScheduler.create(
                b.dataSource, jobs, b.name, b.threads + reserved, b.pollingInterval, b.heartbeat, b.missedHeartbeats);
        this.admin = new TenantAdmin(registry, engines, stores, jobs, scheduler, configs, b.clock, status);
        this.gates = new TenantGates(
                registry,
                configs,
                outage,
                tenant -> new QueuedDeliveries(tenant, scheduler, jobs, clock, accepted, outage));
    }

    /** Starts a builder on the cluster's PostgreSQL data source (a pool: the node borrows often). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Starts picking executions. */
    public void start() {
        status.started();
        outage.start();
        scheduler.start();
    }

    /** The node's name (db-scheduler's {@code picked_by}). */
    public String name() {
        return name;
    }

    /** How long a silent node lives on before its work is picked up elsewhere. */
    public Duration deadAfter() {
        return deadAfter;
    }

    /** Tenant management. */
    public TenantAdmin admin() {
        return admin;
    }

    /**
     * The webhook gate for a tenant's calls ({@code /t/<tenant>/webhooks/...}), as {@code serve} and
     * the starter use it: the caller is checked against the tenant's secrets (resolved by the node's
     * {@link SecretResolver}) before a byte of the body is read or an engine built; an admitted
     * delivery is queued as a one-time task (200 {@code {"outcome":"queued"}}). An unknown tenant gets
     * the answers of a tenant without webhooks (404), so a caller learns nothing of which tenants
     * exist; while the database does not answer, or the secrets cannot be resolved, every call gets
     * 503 with {@code Retry-After}, never a 404 a sender would take as final.
     */
    public WebhookGate webhookGate(String tenantId) {
        return gates.gate(tenantId);
    }

    /** The node's counters. */
    public ClusterStats stats() {
        return jobs.stats(name, accepted.get(), status.due(), status.overdue());
    }

    /** The tenants' poll lags across the cluster, as last counted (every 15 s once started). */
    public PollLags pollLags() {
        return status.pollLags();
    }

    /** Adds a listener told of each exclusive run that ends on this node (for metrics). */
    public void onRunEnd(Consumer<FinishedRun> listener) {
        jobs.runEnds.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether the node's database answers. */
    public boolean healthy() {
        return !outage.down();
    }

    /** Stops picking, lets running executions finish (up to 10 s), and closes every engine. */
    @Override
    public void close() {
        outage.close();
        gates.close();
        scheduler.stop();
        engines.close();
        status.gone();
    }

    @Override
    public String toString() {
        return "ClusterNode{name=" + name + ", deadAfter=" + deadAfter + "}";
    }

    /** Builds a {@link ClusterNode}. */
    public static final class Builder {

        /** Threads running executions unless {@link #threads} says otherwise. */
        public static final int DEFAULT_THREADS = 8;
        /** How often a node beats unless {@link #heartbeat} says otherwise. */
        public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
        /** Missed beats that make a node dead unless {@link #heartbeat} says otherwise. */
        public static final int DEFAULT_MISSED_HEARTBEATS = 5;
        /** How often a node looks for due work unless {@link #pollingInterval} says otherwise. */
        public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(2);
        /** Engines cached unless {@link #engineCache} says otherwise. */
        public static final int DEFAULT_ENGINE_CACHE = 64;
        /** How long the run journal keeps a run unless {@link #journalRetention} says otherwise. */
        public static final Duration DEFAULT_JOURNAL_RETENTION = Duration.ofDays(7);
        /** The first wait after a failed full sync or delivery unless {@link #retries} says otherwise. */
        public static final Duration DEFAULT_RETRY_FIRST = TaskRetries.DEFAULT.first();
        /** The longest wait between retries unless {@link #retries} says otherwise. */
        public static final Duration DEFAULT_RETRY_MAX = TaskRetries.DEFAULT.max();
        /** Failures in a row after which a task is given up unless {@link #retries} says otherwise. */
        public static final int DEFAULT_RETRY_ATTEMPTS = TaskRetries.DEFAULT.attempts();

        private final DataSource dataSource;
        private String name = defaultName();
        private int threads = DEFAULT_THREADS;
        private int reservedThreads = -1;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private int missedHeartbeats = DEFAULT_MISSED_HEARTBEATS;
        private Duration pollingInterval = DEFAULT_POLLING_INTERVAL;
        private int engineCache = DEFAULT_ENGINE_CACHE;
        private SecretResolver secrets = SecretResolver.environment();
        private SecretNamespace secretNames = SecretNamespace.defaults();
        private TenantUrls tenantUrls = TenantUrls.defaults();
        private Path importDirectory;
        private double apsisRequestsPerSecond = SharedAccountBudget.DEFAULT_RATE;
        private boolean migrate = true;
        private Duration journalRetention = DEFAULT_JOURNAL_RETENTION;
        private TaskRetries retries = TaskRetries.DEFAULT;
        private TenantRegistry registry;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        private static String defaultName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "node";
            }
            return host + "-" + ProcessHandle.current().pid();
        }

        /** The node's name, unique in the cluster (default {@code <host>-<pid>}). */
        public Builder name(String name) {
            if (name == null || name.isBlank() || name.length() > 200) {
                throw new IllegalArgumentException("node name must be 1 to 200 characters");
            }
            this.name = name;
            return this;
        }

        /** Threads running executions (default 8). */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be 1..256, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Threads beside {@link #threads} kept for revived executions, which ordinary work never
         * holds (default a quarter of the threads, at least one: 2 with 8): a dead node's runs start
         * on the survivors at their next poll even when every ordinary thread there is busy.
         */
        public Builder reservedThreads(int reserved) {
            if (reserved < 0 || reserved > 256) {
                throw new IllegalArgumentException("reserved threads must be 0..256, was " + reserved);
            }
            this.reservedThreads = reserved;
            return this;
        }

        /**
         * How often the node beats, and how many missed beats make it dead (default 2 s and 5: a dead
         * node's work moves after about 10 s, where db-scheduler's own default is minutes). Runs stop
         * writing once unconfirmed for {@code interval × (missed - 2)}.
         */
        public Builder heartbeat(Duration interval, int missed) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive");
            }
            if (missed < 3 || missed > 100) {
                throw new IllegalArgumentException("missed heartbeats must be 3..100, was " + missed);
            }
            this.heartbeat = interval;
            this.missedHeartbeats = missed;
            return this;
        }

        /** How often the node looks for due executions besides immediate execution (default 2 s). */
        public Builder pollingInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("polling interval must be positive");
            }
            this.pollingInterval = interval;
            return this;
        }

        /** Tenants' engines kept (default 64); the least recently used idle one is closed beyond. */
        public Builder engineCache(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("engine cache must be at least 1, was " + size);
            }
            this.engineCache = size;
            return this;
        }

        /** Where secret references resolve (default: environment variables). */
        public Builder secrets(SecretResolver secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /**
         * Which names a tenant's references may use (default {@value SecretNamespace#DEFAULT_PATTERN}):
         * a reference outside its tenant's names is refused when the tenant is stored, and never
         * resolved.
         */
        public Builder secretNames(SecretNamespace names) {
            this.secretNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /**
         * Which servers tenants' URLs may name (default {@link TenantUrls#defaults()}: https to hosts
         * with only public addresses). A tenant naming another is refused when it is stored, and its
         * engine is not built.
         */
        public Builder tenantUrls(TenantUrls urls) {
            this.tenantUrls = Objects.requireNonNull(urls, "urls");
            return this;
        }

        /**
         * Where every tenant's full-sync import files are written (default: the engine's, a directory
         * of the user's under the system's temporary directory).
         */
        public Builder importDirectory(Path directory) {
            this.importDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * APSIS requests per second per account, across the cluster (default
         * {@value SharedAccountBudget#DEFAULT_RATE}: APSIS's 100 less a margin for late wake-ups).
         */
        public Builder apsisRequestsPerSecond(double rate) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("apsisRequestsPerSecond must be positive, was " + rate);
            }
            this.apsisRequestsPerSecond = rate;
            return this;
        }

        /** How long the run journal ({@code crmsync_cluster_run}) keeps a run (default 7 days). */
        public Builder journalRetention(Duration retention) {
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("journal retention must be positive");
            }
            this.journalRetention = retention;
            return this;
        }

        /**
         * How a full sync or webhook delivery that fails is tried again (default: after 10 s, doubling
         * up to 1 h, given up after 30 consecutive failures, about 21 hours of trying). A task given up
         * is deleted, a delivery's body with it, logged at error level and counted in
         * {@link ClusterStats#tasksAbandoned()}; a full sync can be requested again. Recurring jobs are
         * never given up: a failed one runs again at its next interval.
         */
        public Builder retries(Duration first, Duration max, int attempts) {
            this.retries = new TaskRetries(first, max, attempts);
            return this;
        }

        /** Whether the node applies the cluster tables on start (default true). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** Another tenant registry (default a {@link JdbcTenantRegistry} on the data source). */
        public Builder registry(TenantRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The clock for schedules (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the node (not started). */
        public ClusterNode build() {
            return new ClusterNode(this);
        }
    }
}
